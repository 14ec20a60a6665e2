from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "trygg.actions"
    label = "actions"

    def ready(self) -> None:
        from trygg.actions import mytasks
        from trygg.lib import figures, navigation
        from trygg.lib import mytasks as task_registry
        from trygg.notifications import reminders
        from trygg.org.principal import get_principal

        task_registry.register(mytasks.action_item_tasks)
        reminders.register(mytasks.action_item_reminders)
        figures.register("action_items", mytasks.action_items_figure)
        navigation.register(
            60, _("Action items"), "actions:list", lambda user: get_principal(user).is_member
        )
