from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.accounts.models import Organisation


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user) -> NotificationQuerySet:
        return self.filter(organisation_id=user.organisation_id, user_id=user.pk)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Varsel: a message to one user (a reminder, an invitation, "your case is closed"), shown
    in the app and sent by email. The key makes it idempotent: one user never gets the same
    reminder twice, however often the scheduler runs."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="notifications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=200)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_user"),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "user", "read_at", "-created_at"],
                name="notification_inbox",
            )
        ]

    def __str__(self) -> str:
        return self.subject
