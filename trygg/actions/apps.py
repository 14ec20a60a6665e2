from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "trygg.actions"
    label = "actions"
