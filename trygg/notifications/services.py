"""Sending notifications: once per user and key, in the app and by email.

Notifications are messages about records, not records themselves, so they are not written to
the audit log (the change they remind about is). They never carry special-category details:
sources write "a follow-up milestone is due", not what the absence is about.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from trygg.accounts.tasks import send_email
from trygg.lib.dates import today
from trygg.lib.typing import AnyUser
from trygg.notifications.models import Notification
from trygg.notifications.reminders import due_reminders

log = logging.getLogger(__name__)


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL + url


def notify(
    *, user: AnyUser, key: str, subject: str, body: str = "", url: str = "", email: bool = True
) -> Notification | None:
    """Store a notification for `user` unless one with `key` exists; queue its email after the
    transaction commits. Returns the new notification, or None if it was sent before."""
    if not user.organisation_id or not user.is_active:
        return None
    if Notification.objects.filter(user_id=user.pk, key=key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                organisation_id=user.organisation_id,
                user=user,
                key=key[:200],
                subject=subject[:300],
                body=body,
                url=url[:500],
                emailed=bool(email and user.email),
            )
    except IntegrityError:  # another tick got there first
        return None
    if notification.emailed:
        text = body + (f"\n\n{_absolute(url)}" if url else "")
        transaction.on_commit(
            lambda: send_email.enqueue(subject=subject, body=text, to=[user.email])
        )
    return notification


def run_reminders(*, day: dt.date | None = None) -> int:
    """One tick of the scheduler: send every due reminder not sent before. Returns how many
    were new. Reminders are written in the organisation's default language (bokmål)."""
    day = day or today()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for reminder in due_reminders(day):
            if notify(
                user=reminder.user,
                key=reminder.key,
                subject=reminder.subject,
                body=reminder.body,
                url=reminder.url,
            ):
                sent += 1
    log.info("reminders for %s: %d new", day.isoformat(), sent)
    return sent


def mark_read(*, user: AnyUser, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_all_read(*, user: AnyUser) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())
