from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "trygg.risk"
    label = "risk"
