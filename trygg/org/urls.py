from django.urls import include, path

from trygg.org import views

app_name = "org"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("oversikt.pdf", views.overview_pdf, name="overview_pdf"),
    path("enheter/", views.unit_list, name="unit_list"),
    path("enheter/ny/", views.unit_create, name="unit_create"),
    path("enheter/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("enheter/<int:pk>/endre/", views.unit_edit, name="unit_edit"),
    path("personer/", views.person_list, name="person_list"),
    path("personer/ny/", views.person_create, name="person_create"),
    path("personer/<int:pk>/", views.person_detail, name="person_detail"),
    path("personer/<int:pk>/endre/", views.person_edit, name="person_edit"),
    path("personer/<int:pk>/arbeidsforhold/ny/", views.employment_create, name="employment_create"),
    path("arbeidsforhold/<int:pk>/endre/", views.employment_edit, name="employment_edit"),
    path("personer/<int:pk>/innlogging/", views.login_create, name="login_create"),
    path("personer/<int:pk>/innlogging/aktiv/", views.login_active, name="login_active"),
    path("personer/<int:pk>/roller/", views.grant_create, name="grant_create"),
    path("roller/<int:pk>/fjern/", views.grant_delete, name="grant_delete"),
    path("verneomrader/", views.safety_area_list, name="safety_area_list"),
    path("verneomrader/ny/", views.safety_area_create, name="safety_area_create"),
    path("verneomrader/<int:pk>/", views.safety_area_detail, name="safety_area_detail"),
    path("verneomrader/<int:pk>/endre/", views.safety_area_edit, name="safety_area_edit"),
    path("verneomrader/<int:pk>/verneombud/ny/", views.safety_rep_create, name="safety_rep_create"),
    path("utvalg/", views.committee_list, name="committee_list"),
    path("utvalg/ny/", views.committee_create, name="committee_create"),
    path("utvalg/<int:pk>/", views.committee_detail, name="committee_detail"),
    path("utvalg/<int:pk>/endre/", views.committee_edit, name="committee_edit"),
    path("utvalg/<int:pk>/medlemmer/ny/", views.member_create, name="member_create"),
    path("utvalg/<int:pk>/konstituering/", views.constitute, name="constitute"),
    path("import/", include("trygg.org.urls_import")),
    path("samarbeid/", include("trygg.org.urls_partners")),
]
