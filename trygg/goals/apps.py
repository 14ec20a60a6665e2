from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "trygg.goals"
    label = "goals"
