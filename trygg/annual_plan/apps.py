from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualPlanConfig(AppConfig):
    name = "trygg.annual_plan"
    label = "annual_plan"
    verbose_name = _("Annual plan")

    def ready(self) -> None:
        from trygg.lib import demo, mytasks, navigation
        from trygg.notifications import reminders

        from . import access
        from .demo import demo_step
        from .mytasks import tasks_for
        from .reminders import due_reminders

        navigation.register(10, _("Annual plan"), "annual_plan:wheel", visible=access.can_see_menu)
        for position, label, url_name in [
            (0, _("Wheel"), "annual_plan:wheel"),
            (10, _("List"), "annual_plan:list"),
            (20, _("Template"), "annual_plan:template"),
        ]:
            navigation.register(
                position, label, url_name, access.can_see_menu, section="annual_plan:wheel"
            )
        demo.register(demo_step)
        mytasks.register(tasks_for)
        reminders.register(due_reminders)
