from django.urls import path

from trygg.org import views_partners

urlpatterns = [
    path("", views_partners.partners, name="partners"),
    path("bht/ny/", views_partners.ohs_create, name="ohs_create"),
    path("bht/<int:pk>/endre/", views_partners.ohs_edit, name="ohs_edit"),
    path(
        "bht/<int:pk>/kontaktpersoner/ny/",
        views_partners.ohs_contact_create,
        name="ohs_contact_create",
    ),
    path(
        "bht/kontaktpersoner/<int:pk>/fjern/",
        views_partners.ohs_contact_remove,
        name="ohs_contact_remove",
    ),
    path("tillitsvalgte/ny/", views_partners.union_create, name="union_create"),
    path("tillitsvalgte/<int:pk>/avslutt/", views_partners.union_end, name="union_end"),
]
