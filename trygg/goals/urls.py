from django.urls import path

from trygg.goals import views

app_name = "goals"

urlpatterns = [
    path("", views.goal_list, name="goal_list"),
    path("ny/", views.goal_create, name="goal_create"),
    path("<int:pk>/", views.goal_detail, name="goal_detail"),
    path("<int:pk>/endre/", views.goal_edit, name="goal_edit"),
    path("<int:pk>/maling/", views.measurement_create, name="measurement_create"),
    path("handlingsplaner/", views.plan_list, name="plan_list"),
    path("handlingsplaner/ny/", views.plan_create, name="plan_create"),
    path("handlingsplaner/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("handlingsplaner/<int:pk>/endre/", views.plan_edit, name="plan_edit"),
    path("handlingsplaner/<int:pk>/rad/ny/", views.row_create, name="row_create"),
    path("handlingsplaner/rad/<int:pk>/endre/", views.row_edit, name="row_edit"),
    path("handlingsplaner/<int:pk>/import/", views.plan_import, name="plan_import"),
    path("handlingsplaner/<int:pk>/handlingsplan.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("handlingsplaner/<int:pk>/handlingsplan.pdf", views.plan_pdf, name="plan_pdf"),
    path("internkontroll/", views.control_overview, name="control_overview"),
    path("internkontroll/internkontroll.pdf", views.control_pdf, name="control_pdf"),
    path("internkontroll/punkt/<int:point>/", views.control_edit, name="control_edit"),
    path("internkontroll/lover/", views.laws, name="laws"),
]
