from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from trygg.accounts.models import ApiToken
from trygg.accounts.tasks import queue_templated_email


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose email is sent by the background worker, not in the request."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):  # type: ignore[no-untyped-def]
        queue_templated_email(
            subject_template=subject_template_name,
            body_template=email_template_name,
            context=context,
            to=[to_email],
        )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Power BI report”."),
    )
    scope = forms.ChoiceField(
        label=_("Access"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ
    )
    expires_in_days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=730,
        initial=365,
        help_text=_("Between 1 and 730 days."),
    )
