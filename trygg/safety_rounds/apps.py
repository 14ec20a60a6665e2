from django.apps import AppConfig


class SafetyRoundsConfig(AppConfig):
    name = "trygg.safety_rounds"
    label = "safety_rounds"
