from django.urls import path

from . import views

app_name = "annual_plan"

urlpatterns = [
    path("", views.wheel_view, name="wheel"),
    path("liste/", views.item_list, name="list"),
    path("sak/<int:pk>/", views.item_detail, name="item_detail"),
    path("sak/<int:pk>/ikke-utfort/", views.item_undo, name="item_undo"),
    path("mal/", views.template_list, name="template"),
    path("mal/ny/", views.template_item_create, name="template_create"),
    path("mal/<int:pk>/", views.template_item_edit, name="template_edit"),
    path("mal/forslag/", views.template_add_suggestion, name="template_suggestion"),
    path("mal/last-inn/", views.template_load_default, name="template_load"),
    path("innstillinger/", views.settings_save, name="settings"),
]
