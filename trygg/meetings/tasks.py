"""Background tasks of committee work, run by the worker (`trygg db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from trygg.meetings import documents
from trygg.meetings.models import Meeting


@task()
def send_invitation_email(*, meeting_id: int, to: list[str]) -> None:
    """The invitation (innkalling) with the agenda as PDF. The PDF is made here, not in the
    request, because WeasyPrint needs a second or two for a long agenda."""
    meeting = Meeting.objects.select_related("committee__unit").filter(pk=meeting_id).first()
    if meeting is None or meeting.cancelled:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = documents.meeting_context(meeting)
        subject = "".join(
            render_to_string("meetings/email/invitation_subject.txt", context).splitlines()
        )
        body = render_to_string("meetings/email/invitation.txt", context)
        attachment = documents.pdf(documents.agenda_html(meeting))
    message = EmailMessage(subject=subject, body=body, to=to)
    message.attach(f"innkalling-{meeting.pk}.pdf", attachment, "application/pdf")
    message.send()
