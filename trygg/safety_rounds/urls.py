from django.urls import path

from trygg.safety_rounds import views

app_name = "safety_rounds"

urlpatterns = [
    path("", views.index, name="index"),
    path("planlegg/", views.plan, name="plan"),
    path("revisjon/ny/", views.audit_create, name="audit_create"),
    path("innstillinger/", views.settings_edit, name="settings"),
    path("sjekklister/", views.template_list, name="template_list"),
    path("sjekklister/importer/", views.template_import, name="template_import"),
    path("sjekklister/standard/", views.templates_install, name="templates_install"),
    path("sjekklister/<int:pk>/", views.template_detail, name="template_detail"),
    path("sjekklister/<int:pk>/eksport/", views.template_export, name="template_export"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/sjekkliste/", views.checklist, name="checklist"),
    path("<int:pk>/svar/", views.sync, name="sync"),
    path("<int:pk>/bilder/", views.photo_upload, name="photo_upload"),
    path("<int:pk>/bilder/<int:photo_pk>/", views.photo, name="photo"),
    path("<int:pk>/funn/<slug:key>/", views.follow_up, name="follow_up"),
    path("<int:pk>/signer/", views.sign, name="sign"),
    path("<int:pk>/deltakere/ny/", views.participant_add, name="participant_add"),
    path("<int:pk>/rapport.pdf", views.report, name="report"),
]
