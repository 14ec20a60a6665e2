from django.urls import path

from trygg.risk import views

app_name = "risk"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("vurderinger/", views.assessment_list, name="assessment_list"),
    path("vurderinger/ny/", views.assessment_create, name="assessment_create"),
    path("revisjon/", views.due_list, name="due_list"),
    path("vurderinger/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("vurderinger/<int:pk>/endre/", views.assessment_edit, name="assessment_edit"),
    path("vurderinger/<int:pk>/deltakere/ny/", views.participant_add, name="participant_add"),
    path("deltakere/<int:pk>/fjern/", views.participant_remove, name="participant_remove"),
    path("vurderinger/<int:pk>/fullfor/", views.assessment_complete, name="assessment_complete"),
    path("vurderinger/<int:pk>/ny-versjon/", views.assessment_reassess, name="assessment_reassess"),
    path("vurderinger/<int:pk>/farer/ny/", views.hazard_create, name="hazard_create"),
    path("vurderinger/<int:pk>/risikovurdering.pdf", views.assessment_pdf, name="assessment_pdf"),
    path(
        "vurderinger/<int:pk>/risikovurdering.xlsx", views.assessment_xlsx, name="assessment_xlsx"
    ),
    path("vurderinger/<int:pk>/mal.json", views.assessment_template, name="assessment_template"),
    path("farer/<int:pk>/", views.hazard_detail, name="hazard_detail"),
    path("farer/<int:pk>/endre/", views.hazard_edit, name="hazard_edit"),
    path("farer/<int:pk>/slett/", views.hazard_delete, name="hazard_delete"),
    path("farer/<int:pk>/tiltak/ny/", views.measure_create, name="measure_create"),
    path("matrise/", views.matrix_detail, name="matrix"),
    path("matrise/endre/", views.matrix_edit, name="matrix_edit"),
    path("maler/", views.template_list, name="template_list"),
    path("maler/<slug:slug>/", views.template_detail, name="template_detail"),
    path("maler/<slug:slug>.json", views.template_file, name="template_file"),
]
