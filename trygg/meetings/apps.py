from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "trygg.meetings"
    label = "meetings"
