from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeviationsConfig(AppConfig):
    name = "trygg.deviations"
    label = "deviations"

    def ready(self) -> None:
        from trygg.actions.sources import register_source
        from trygg.deviations import access, demo, registry
        from trygg.deviations.models import Deviation
        from trygg.lib import controls, figures, indicators, mytasks, navigation
        from trygg.lib import demo as demo_registry
        from trygg.notifications import reminders
        from trygg.org.principal import get_principal

        # Everyone in the organisation reports deviations (AML § 2-3).
        navigation.register(
            20, _("Deviations"), "deviations:index", lambda user: get_principal(user).is_member
        )
        mytasks.register(registry.handler_tasks)
        reminders.register(registry.overdue_reminders)
        figures.register("deviations", registry.deviations_figure)
        figures.register("injuries", registry.injuries_figure)
        indicators.register(
            "deviations.closed_in_time",
            _("Deviations closed within the deadline"),
            unit="%",
            lower_is_better=False,
            compute=registry.closed_in_time_indicator,
        )
        controls.register(7, registry.control_records)
        register_source(Deviation, can_view=access.can_view, can_edit=access.can_handle)
        demo_registry.register(demo.fill_demo)
