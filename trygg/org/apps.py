from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "trygg.org"
    label = "org"

    def ready(self) -> None:
        from trygg.org import mytasks  # noqa: F401  (registers the "Mine oppgaver" provider)
