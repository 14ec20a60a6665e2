"""Background tasks of the accounts app, run by the worker (`trygg db_worker`)."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django_tasks import task


@task()
def send_email(*, subject: str, body: str, to: list[str], html: str | None = None) -> None:
    """Send one email through the configured Django email backend."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def queue_templated_email(
    *, subject_template: str, body_template: str, context: dict, to: list[str]
) -> None:
    """Render an email from its subject and body templates now (in the request's language) and
    leave the sending to the worker."""
    subject = "".join(render_to_string(subject_template, context).splitlines())
    body = render_to_string(body_template, context)
    send_email.enqueue(subject=subject, body=body, to=to)
