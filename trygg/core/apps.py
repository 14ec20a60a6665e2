from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "trygg.core"
    label = "core"

    def ready(self) -> None:
        from trygg.core import checks  # noqa: F401  (registers the deploy checks)
        from trygg.core.context_processors import register_menu

        register_menu()
