from django.urls import path

from trygg.deviations import views

app_name = "deviations"

urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
]
