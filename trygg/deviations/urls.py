from django.urls import path

from trygg.deviations import views

app_name = "deviations"

urlpatterns = [
    path("", views.index, name="index"),
    path("meld/", views.report, name="report"),
    path("behandling/", views.handling_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/kvittering/", views.receipt, name="receipt"),
    path("<int:pk>/arsak/", views.root_cause, name="root_cause"),
    path("<int:pk>/tiltak/", views.add_measure, name="add_measure"),
    path("<int:pk>/lukk/", views.close, name="close"),
    path("<int:pk>/gjenapne/", views.reopen, name="reopen"),
    path("<int:pk>/tildel/", views.reassign, name="reassign"),
    path("<int:pk>/klassifiser/", views.classify, name="classify"),
    path("<int:pk>/vold/", views.violence, name="violence"),
    path("<int:pk>/kommentar/", views.comment, name="comment"),
    path("<int:pk>/svar/", views.answer, name="answer"),
    path("<int:pk>/vedlegg/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("skaderegister/", views.injury_register, name="injury_register"),
    path("skader/<int:pk>/", views.injury_detail, name="injury"),
    path("skader/<int:pk>/samtykke/", views.injury_consent, name="injury_consent"),
    path("skader/<int:pk>/varslet/<str:kind>/", views.injury_notified, name="injury_notified"),
    path("statistikk/", views.statistics, name="statistics"),
    path("statistikk/eksport.<str:fmt>", views.export, name="export"),
    path("plakat/", views.poster, name="poster"),
    path("innstillinger/", views.settings_page, name="settings"),
    path("innstillinger/ny-lenke/", views.renew_link, name="renew_link"),
    path("innstillinger/timeverk/", views.work_hours, name="work_hours"),
    # Without an account
    path("p/<str:key>/", views.public_report, name="public_report"),
    path("kvittering/", views.public_receipt, name="public_receipt"),
    path("folg/", views.follow, name="follow"),
    path("folg/sak/", views.follow_case, name="follow_case"),
    path("folg/avslutt/", views.follow_stop, name="follow_stop"),
    path("folg/vedlegg/<int:attachment_pk>/", views.follow_attachment, name="follow_attachment"),
]
