from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "trygg.risk"
    label = "risk"

    def ready(self) -> None:
        from trygg.actions.sources import register_source
        from trygg.lib import demo as demo_steps
        from trygg.lib import navigation
        from trygg.org.principal import get_principal
        from trygg.risk import access, demo, registry
        from trygg.risk.models import Hazard

        navigation.register(
            40, _("Risk assessments"), "risk:overview", lambda user: get_principal(user).is_member
        )
        demo_steps.register(demo.add_demo_risk_assessments)
        registry.register()
        register_source(Hazard, can_view=access.can_view_hazard, can_edit=access.can_edit_hazard)
