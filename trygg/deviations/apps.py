from django.apps import AppConfig


class DeviationsConfig(AppConfig):
    name = "trygg.deviations"
    label = "deviations"
