from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "trygg.api"
    label = "api"
