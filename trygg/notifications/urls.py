from django.urls import path

from trygg.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/apne/", views.notification_open, name="open"),
    path("les-alle/", views.notification_read_all, name="read_all"),
]
