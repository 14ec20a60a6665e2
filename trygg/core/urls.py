from django.urls import path

from trygg.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("tilgjengelighet/", views.accessibility, name="accessibility"),
    path("logg/", views.audit_log, name="audit_log"),
    path("logg/eksport.csv", views.audit_log_export, name="audit_log_export"),
    path("helse/", views.health, name="health"),
]
