from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "trygg.lib"
    label = "lib"
