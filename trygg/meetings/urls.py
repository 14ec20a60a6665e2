from django.urls import path

from trygg.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("postkasse/", views.propose, name="propose"),
    path("innstillinger/", views.settings_page, name="settings"),
    path("kalender/ny/", views.feed_create, name="feed_create"),
    path("kalender/<int:pk>/slett/", views.feed_delete, name="feed_delete"),
    path("kalender/<str:secret>.ics", views.feed, name="feed"),
    path("utvalg/<int:pk>/", views.committee_detail, name="committee_detail"),
    path("utvalg/<int:pk>/moteplan/", views.plan_meetings, name="plan"),
    path("utvalg/<int:pk>/moteplan/send/", views.send_plan, name="send_plan"),
    path("utvalg/<int:pk>/sak/ny/", views.case_create, name="case_create"),
    path("utvalg/<int:pk>/innkommende/", views.incoming, name="incoming"),
    path("utvalg/<int:pk>/arsrapport/<int:year>/", views.annual_report, name="annual_report"),
    path(
        "utvalg/<int:pk>/arsrapport/<int:year>/vedta/",
        views.annual_report_adopt,
        name="annual_report_adopt",
    ),
    path(
        "utvalg/<int:pk>/arsrapport/<int:year>/arsrapport.pdf",
        views.annual_report_pdf,
        name="annual_report_pdf",
    ),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/endre/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/avlys/", views.meeting_cancel, name="meeting_cancel"),
    path("<int:pk>/innkalling/", views.meeting_invite, name="meeting_invite"),
    path("<int:pk>/faste-saker/", views.meeting_fill, name="meeting_fill"),
    path("<int:pk>/innkalling.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("<int:pk>/protokoll/", views.minutes, name="minutes"),
    path("<int:pk>/protokoll.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/godkjenn/", views.approve, name="approve"),
    path("<int:pk>/gjenapne/", views.reopen, name="reopen"),
    path("sak/<int:pk>/", views.case_detail, name="case_detail"),
    path("sak/<int:pk>/endre/", views.case_edit, name="case_edit"),
    path("sak/<int:pk>/protokoll/", views.case_minutes, name="case_minutes"),
    path("sak/<int:pk>/vedlegg/", views.case_attach, name="case_attach"),
    path("sak/<int:pk>/tiltak/", views.case_action, name="case_action"),
    path("sak/<int:pk>/send-videre/", views.case_forward, name="case_forward"),
    path("sak/<int:pk>/registrer/", views.case_register, name="case_register"),
    path("sak/<int:pk>/avvis/", views.case_reject, name="case_reject"),
    path("vedlegg/<int:pk>/", views.attachment_download, name="attachment"),
    path("vedlegg/<int:pk>/slett/", views.attachment_delete, name="attachment_delete"),
]
