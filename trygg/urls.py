from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("trygg.core.urls")),
    path("konto/", include("trygg.accounts.urls")),
    path("organisasjon/", include("trygg.org.urls")),
    path("varsler/", include("trygg.notifications.urls")),
    path("tiltak/", include("trygg.actions.urls")),
    path("avvik/", include("trygg.deviations.urls")),
    path("sykefravaer/", include("trygg.absence.urls")),
    path("risiko/", include("trygg.risk.urls")),
    path("mal/", include("trygg.goals.urls")),
    path("arshjul/", include("trygg.annual_plan.urls")),
    path("moter/", include("trygg.meetings.urls")),
    path("vernerunder/", include("trygg.safety_rounds.urls")),
    path("api/v1/", include("trygg.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
