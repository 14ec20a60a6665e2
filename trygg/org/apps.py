from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "trygg.org"
    label = "org"
