from django.apps import AppConfig


class AbsenceConfig(AppConfig):
    name = "trygg.absence"
    label = "absence"
