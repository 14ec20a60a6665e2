from django.urls import path

from trygg.absence import views, views_import

app_name = "absence"

urlpatterns = [
    path("", views.statistics_page, name="statistics"),
    path("personer/", views.people_list, name="people"),
    path("personer/<int:person_id>/", views.person_detail, name="person_detail"),
    path("personer/<int:person_id>/eksport.csv", views.person_export, name="person_export"),
    path("personer/<int:person_id>/nytt/", views.spell_create, name="spell_create"),
    path("fravaer/<int:pk>/endre/", views.spell_edit, name="spell_edit"),
    path("fravaer/<int:pk>/slett/", views.spell_delete, name="spell_delete"),
    path("oppfolging/<int:pk>/", views.case_detail, name="case_detail"),
    path("oppfolging/<int:pk>/plan/", views.plan_edit, name="plan_edit"),
    path("oppfolging/<int:pk>/kommentar/", views.plan_comment, name="plan_comment"),
    path("oppfolging/<int:pk>/dialogmote/", views.meeting_create, name="meeting_create"),
    path("oppfolging/<int:pk>/tiltak/", views.measure_create, name="measure_create"),
    path("innstillinger/", views.settings_edit, name="settings"),
    path("import/", views_import.import_start, name="import_start"),
    path("import/<str:token>/", views_import.import_preview, name="import_preview"),
    path("import/<str:token>/lagre/", views_import.import_commit, name="import_commit"),
    path("import/<str:token>/avbryt/", views_import.import_cancel, name="import_cancel"),
]
