from django.urls import path

from trygg.org import views_import

urlpatterns = [
    path("", views_import.import_start, name="import_start"),
    path("eksempel/<str:kind>.csv", views_import.import_example, name="import_example"),
    path("fil/<slug:token>/", views_import.import_preview, name="import_preview"),
    path("fil/<slug:token>/bekreft/", views_import.import_commit, name="import_commit"),
    path("fil/<slug:token>/avbryt/", views_import.import_cancel, name="import_cancel"),
]
