from django.urls import path

from trygg.api.api import api

urlpatterns = [path("", api.urls)]
