from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AbsenceConfig(AppConfig):
    name = "trygg.absence"
    label = "absence"
    verbose_name = _("Sick leave")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from trygg.absence import access, aggregates, demo, figures, mytasks, reminders
        from trygg.lib import demo as demo_steps
        from trygg.lib import figures as figure_registry
        from trygg.lib import indicators, navigation
        from trygg.lib import mytasks as task_registry
        from trygg.notifications import reminders as reminder_registry
        from trygg.org.models import Employment

        navigation.register(
            30, _("Sick leave"), "absence:statistics", visible=access.may_see_statistics
        )
        figure_registry.register("sick_leave", figures.sick_leave_figure)
        indicators.register(
            "absence.percent",
            _("Sick leave (%)"),
            unit="%",
            lower_is_better=True,
            compute=figures.absence_percent,
            compute_series=figures.absence_percent_series,
        )
        task_registry.register(mytasks.follow_up_tasks)
        reminder_registry.register(reminders.due_reminders)
        demo_steps.register(demo.fill_demo)
        # Lost workdays follow the position share and unit of each day's employment: a change
        # to an employment (made in the org app) refreshes that person's figures at once. A
        # deleted employment needs nothing: its monthly rows go with it (CASCADE).
        post_save.connect(
            aggregates.employment_changed, sender=Employment, dispatch_uid="absence-employment"
        )
