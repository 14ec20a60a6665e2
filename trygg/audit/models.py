"""Revisjonslogg: one append-only table for every write and every read of a special record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise TypeError("The audit log is append-only.")

    def delete(self):  # type: ignore[no-untyped-def]
        raise TypeError("The audit log is append-only.")


class AuditEntry(models.Model):
    """Logghendelse: who created, changed, deleted or read what, with before and after."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        READ = "read", _("Read")
        IMPORT = "import", _("Imported")
        LOGIN = "login", _("Logged in")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    time_withheld = models.BooleanField(
        default=False,
        help_text="Only the date is kept (anonymous reports: the time of day could identify).",
    )

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="audit_org_time"),
            # The organisation's data version (audit.queries.latest_entry_id).
            models.Index(fields=["organisation", "-id"], name="audit_org_id"),
            models.Index(
                fields=["organisation", "object_type", "object_id"], name="audit_org_object"
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.created_at)
        when = f"{local:%d.%m.%Y}" if self.time_withheld else f"{local:%d.%m.%Y %H:%M}"
        return f"{when} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise TypeError("The audit log is append-only.")

    def diff(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field the entry mentions."""
        before = self.changes.get("before") or {}
        after = self.changes.get("after") or {}
        return [(key, before.get(key), after.get(key)) for key in sorted(set(before) | set(after))]
