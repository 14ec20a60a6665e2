"""`trygg rebuild-absence [--organisation SLUG] [--check]`: recompute the monthly aggregates and
follow-up cases from the raw spells, or only check that the stored ones agree."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from trygg.absence import aggregates
from trygg.absence.models import AbsenceSpell
from trygg.accounts.models import Organisation


class Command(BaseCommand):
    help = "Recompute (or with --check, verify) the sick-leave aggregates from the spells."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--organisation", help="The organisation's slug (default: all)")
        parser.add_argument("--check", action="store_true", help="Only compare; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.filter(
            pk__in=AbsenceSpell.objects.values("organisation_id")
        )
        if options["organisation"]:
            organisations = Organisation.objects.filter(slug=options["organisation"])
        bad = 0
        for organisation in organisations:
            if options["check"]:
                stored = aggregates.stored_rows(organisation.pk)
                rebuilt = aggregates.rebuilt_rows(organisation.pk)
                differ = len(stored ^ rebuilt)
                bad += differ
                self.stdout.write(f"{organisation.slug}: {len(stored)} rows, {differ} differ")
            else:
                people = aggregates.rebuild(organisation.pk)
                self.stdout.write(f"{organisation.slug}: rebuilt for {people} people")
        if bad:
            raise CommandError(f"{bad} aggregate rows differ; run without --check to rebuild.")
