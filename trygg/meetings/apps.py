from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "trygg.meetings"
    label = "meetings"
    verbose_name = _("Committee meetings")

    def ready(self) -> None:
        from trygg.actions.sources import register_source
        from trygg.lib import controls, demo, mytasks, navigation
        from trygg.notifications import reminders

        from . import access, tasks_and_reminders
        from .demo import demo_step
        from .models import Case

        navigation.register(15, _("Meetings"), "meetings:overview", visible=access.uses_meetings)
        demo.register(demo_step)
        mytasks.register(tasks_and_reminders.tasks_for)
        reminders.register(tasks_and_reminders.due_reminders)
        controls.register(8, tasks_and_reminders.annual_review_records)
        register_source(
            Case,
            can_view=lambda user, case: access.can_read_case(user, case),
            can_edit=lambda user, case: access.can_manage_committee(user, case.committee),
        )
