"""Pages for the organisation's partners in the working environment: the occupational health
service (bedriftshelsetjeneste, AML § 3-3) and the union representatives (tillitsvalgte).

Both are part of the written overview of the organisation (internkontrollforskriften § 5 no. 5).
Everyone in the organisation may see them; HMS coordinators and administrators change them.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.lib.dates import today
from trygg.lib.forms import add_service_errors
from trygg.org import access, services
from trygg.org.forms_partners import (
    EndTermForm,
    OHSContactForm,
    OHSProviderForm,
    UnionRepresentativeForm,
)
from trygg.org.models import OHSContact

PROVIDER_FIELDS = ("name", "org_number", "approved", "email", "phone", "agreement_start")


def _form_page(request: HttpRequest, form: forms.Form, title: str) -> HttpResponse:
    return render(request, "org/form.html", {"form": form, "title": title, "back": "org:partners"})


@login_required
@require_GET
def partners(request: HttpRequest) -> HttpResponse:
    access.require_member(request.user)
    contacts = OHSContact.objects.select_related("person").order_by(
        "person__last_name", "person__first_name", "pk"
    )
    providers = (
        access.visible_ohs_providers(request.user)
        .prefetch_related(Prefetch("contacts", queryset=contacts, to_attr="contact_list"))
        .order_by("name", "pk")
    )
    day = today()
    current, ended = [], []
    for term in (
        access.visible_union_representatives(request.user)
        .select_related("person", "unit")
        .order_by("union", "-is_main", "person__last_name", "person__first_name", "pk")
    ):
        (ended if term.end_date is not None and term.end_date < day else current).append(term)
    ended.sort(key=lambda term: term.end_date, reverse=True)
    context = {
        "providers": providers,
        "current_reps": current,
        "ended_reps": ended,
        "today": day,
        "can_manage": access.can_manage_hms(request.user),
    }
    return render(request, "org/partners_list.html", context)


# --- Occupational health service (BHT) -----------------------------------------------------
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ohs_create(request: HttpRequest) -> HttpResponse:
    access.require_hms_manager(request.user)
    form = OHSProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.create_ohs_provider(
                actor=request.user,
                organisation=request.user.organisation,  # type: ignore[union-attr]
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The occupational health service “%(name)s” was registered.")
                % {"name": provider.name},
            )
            return redirect("org:partners")
    return _form_page(request, form, _("New occupational health service"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ohs_edit(request: HttpRequest, pk: int) -> HttpResponse:
    provider = access.get_ohs_provider_for_user(request.user, pk, write=True)
    form = OHSProviderForm(
        request.POST or None, initial={name: getattr(provider, name) for name in PROVIDER_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_ohs_provider(actor=request.user, provider=provider, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The occupational health service was saved."))
            return redirect("org:partners")
    return _form_page(request, form, _("Edit %(name)s") % {"name": provider.name})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ohs_contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    provider = access.get_ohs_provider_for_user(request.user, pk, write=True)
    form = OHSContactForm(request.POST or None, people=access.visible_people(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["person"] is not None:
                contact = services.add_ohs_contact(
                    actor=request.user,
                    provider=provider,
                    person=data["person"],
                    profession=data["profession"],
                )
            else:
                contact = services.add_external_ohs_contact(
                    actor=request.user,
                    provider=provider,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    phone=data["phone"],
                    profession=data["profession"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s was added as a contact person at %(provider)s.")
                % {"name": contact.person.full_name, "provider": provider.name},
            )
            return redirect("org:partners")
    title = _("New contact person at %(name)s") % {"name": provider.name}
    return render(
        request,
        "org/partners_contact_form.html",
        {"form": form, "title": title, "provider": provider},
    )


@login_required
@require_POST
def ohs_contact_remove(request: HttpRequest, pk: int) -> HttpResponse:
    contact = access.get_ohs_contact_for_user(request.user, pk, write=True)
    services.remove_ohs_contact(actor=request.user, contact=contact)
    messages.success(
        request,
        _("%(name)s is no longer a contact person at %(provider)s.")
        % {"name": contact.person.full_name, "provider": contact.provider.name},
    )
    return redirect("org:partners")


# --- Union representatives -----------------------------------------------------------------
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def union_create(request: HttpRequest) -> HttpResponse:
    access.require_hms_manager(request.user)
    form = UnionRepresentativeForm(
        request.POST or None,
        people=access.visible_people(request.user),
        units=access.visible_units(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            term = services.appoint_union_representative(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s was registered as union representative for %(union)s.")
                % {"name": term.person.full_name, "union": term.union},
            )
            return redirect("org:partners")
    return _form_page(request, form, _("New union representative"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def union_end(request: HttpRequest, pk: int) -> HttpResponse:
    term = access.get_union_representative_for_user(request.user, pk, write=True)
    form = EndTermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_union_representative(
                actor=request.user, representative=term, end_date=form.cleaned_data["end_date"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The term of %(name)s as union representative was ended.")
                % {"name": term.person.full_name},
            )
            return redirect("org:partners")
    title = _("End the term of %(name)s (%(union)s)") % {
        "name": term.person.full_name,
        "union": term.union,
    }
    return _form_page(request, form, title)
