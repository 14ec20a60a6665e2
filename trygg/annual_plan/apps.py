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
        demo.register(demo_step)
        mytasks.register(tasks_for)
        reminders.register(due_reminders)
