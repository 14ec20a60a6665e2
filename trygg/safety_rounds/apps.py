from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyRoundsConfig(AppConfig):
    name = "trygg.safety_rounds"
    label = "safety_rounds"

    def ready(self) -> None:
        from trygg.actions.sources import register_source
        from trygg.lib import controls, demo, figures, navigation
        from trygg.lib import mytasks as task_registry
        from trygg.notifications import reminders
        from trygg.safety_rounds import access, mytasks
        from trygg.safety_rounds.demo import demo_step
        from trygg.safety_rounds.models import Answer

        navigation.register(50, _("Safety rounds"), "safety_rounds:index", access.in_menu)
        task_registry.register(mytasks.round_tasks)
        reminders.register(mytasks.round_reminders)
        figures.register("safety_rounds", mytasks.safety_rounds_figure)
        controls.register(6, mytasks.safety_round_records)
        controls.register(8, mytasks.audit_records)
        register_source(Answer, can_view=access.can_view_answer, can_edit=access.can_edit_answer)
        demo.register(demo_step)
