from django.urls import path

from . import views

app_name = "annual_plan"

urlpatterns = [
    path("", views.wheel, name="wheel"),
    path("liste/", views.item_list, name="list"),
    path("sak/<int:pk>/", views.item_detail, name="item_detail"),
]
