from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.accounts.models import Organisation
from trygg.org.models import Person, Unit


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def open(self) -> ActionItemQuerySet:
        return self.filter(status__in=ActionItem.OPEN_STATUSES)

    def overdue(self, day: dt.date) -> ActionItemQuerySet:
        return self.open().filter(deadline__lt=day)

    def for_source(self, source: models.Model) -> ActionItemQuerySet:
        return self.filter(
            source_type=ContentType.objects.get_for_model(source), source_id=source.pk
        )

    def with_relations(self) -> ActionItemQuerySet:
        return self.select_related("owner", "unit", "source_type")


class ActionItem(models.Model):
    """Tiltak: a measure or task with an owner and a deadline, whatever created it: a deviation,
    a meeting decision, a risk assessment, a safety round, an action plan, a follow-up. The one
    action-item engine of Trygg (DESIGN.md); "Mine oppgaver" lists a person's open items, and
    overdue items are reminded. Internkontrollforskriften § 5 no. 7: correct and prevent."""

    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="action_items"
    )
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    owner = models.ForeignKey(
        Person,
        verbose_name=_("responsible"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    result = models.TextField(
        _("result"), blank=True, help_text=_("What was done, and whether it worked.")
    )
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [
            models.Index(fields=["organisation", "owner", "status"], name="action_owner_status"),
            models.Index(fields=["organisation", "status", "deadline"], name="action_due"),
            models.Index(fields=["source_type", "source_id"], name="action_source"),
            models.Index(
                fields=["deadline"],
                condition=Q(status__in=["open", "in_progress"]),
                name="action_open_deadline",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(source_type__isnull=True, source_id__isnull=True)
                | Q(source_type__isnull=False, source_id__isnull=False),
                name="action_source_complete",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actions:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, day: dt.date) -> bool:
        return self.is_open and self.deadline is not None and self.deadline < day
