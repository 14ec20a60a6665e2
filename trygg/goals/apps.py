from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "trygg.goals"
    label = "goals"

    def ready(self) -> None:
        from trygg.actions.sources import register_source
        from trygg.goals import access, demo, readings, registry
        from trygg.goals.models import ActionPlanRow
        from trygg.lib import demo as demo_steps
        from trygg.lib import navigation, periodic

        navigation.register(45, _("HMS goals and plans"), "goals:goal_list", access.is_member)
        demo_steps.register(demo.add_demo_goals)
        registry.register()
        periodic.register(readings.refresh_old_readings)
        register_source(
            ActionPlanRow,
            can_view=lambda user, row: access.can_view_plan(user, row.plan),
            can_edit=lambda user, row: access.can_edit_plan(user, row.plan),
        )
