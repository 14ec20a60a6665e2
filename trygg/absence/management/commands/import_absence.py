"""`trygg import-absence FILE [--organisation SLUG]`: import absence spells with a progress bar."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from trygg.absence import importing
from trygg.accounts.models import Organisation


def tqdm_progress(items: Iterable[Any], total: int, description: str) -> Iterable[Any]:
    from tqdm import tqdm

    return tqdm(items, total=total, desc=description, unit="", leave=False)


class Command(BaseCommand):
    help = "Import sick-leave spells (CSV or XLSX) for an organisation; all or nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="+", help="CSV or XLSX files, imported one by one")
        parser.add_argument("--organisation", help="The organisation's slug (needed if several)")
        parser.add_argument("--check", action="store_true", help="Check only; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.all()
        if options["organisation"]:
            organisations = organisations.filter(slug=options["organisation"])
        if organisations.count() != 1:
            raise CommandError("Name the organisation with --organisation SLUG.")
        organisation = organisations.get()
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
            started = time.perf_counter()
            data = path.read_bytes()
            if options["check"]:
                outcome = importing.plan_import(
                    organisation=organisation, data=data, filename=path.name, progress=tqdm_progress
                )
            else:
                outcome = importing.commit_import(
                    actor=None,
                    organisation=organisation,
                    data=data,
                    filename=path.name,
                    progress=tqdm_progress,
                )
            if not outcome.ok:
                for error in outcome.errors[:50]:
                    self.stderr.write(str(error))
                if len(outcome.errors) > 50:
                    self.stderr.write(f"… and {len(outcome.errors) - 50} more errors")
                raise CommandError(f"{path.name}: nothing imported ({len(outcome.errors)} errors).")
            took = time.perf_counter() - started
            self.stdout.write(
                f"{path.name}: {outcome.summary()} ({outcome.rows} rows, {took:.1f} s)"
            )
