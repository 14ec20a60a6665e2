from django.urls import path

from trygg.actions import views

app_name = "actions"

urlpatterns = [
    path("", views.item_list, name="list"),
    path("ny/", views.item_create, name="create"),
    path("<int:pk>/", views.item_detail, name="detail"),
]
