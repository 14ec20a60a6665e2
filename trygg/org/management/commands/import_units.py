"""`trygg import-units FILE --organisation SLUG`: import units from an HR export.

`ImportCommand` is shared with `trygg import-employees`. Both check every row first and write
nothing if one row is wrong; they print each error with its row number and exit with status 1.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from trygg.accounts.models import Organisation, User
from trygg.org import importing
from trygg.org.importing import Kind, Outcome, Status

T = TypeVar("T")


class ImportCommand(BaseCommand):
    kind: str = Kind.UNITS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file or Excel workbook (.xlsx).")
        parser.add_argument(
            "--organisation",
            required=True,
            metavar="SLUG",
            help="The short name (slug) of the organisation to import into.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and show what would change, without writing anything.",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="The user the audit log names as the one who imported (default: none, the system).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(
                _("There is no organisation with the short name «%(slug)s».")
                % {"slug": options["organisation"]}
            )
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], organisation=organisation).first()
            if actor is None:
                raise CommandError(
                    _("There is no user «%(user)s» in %(organisation)s.")
                    % {"user": options["user"], "organisation": organisation}
                )
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("The file %(path)s does not exist.") % {"path": path})
        try:
            importing.check_size(path.stat().st_size)
        except importing.FileProblem as exc:
            raise CommandError(exc.message) from exc
        self.verbosity = int(options["verbosity"])
        arguments = {
            "organisation": organisation,
            "kind": self.kind,
            "data": path.read_bytes(),
            "filename": path.name,
            "progress": self._progress,
        }
        if options["dry_run"]:
            outcome = importing.preview_import(**arguments)
        else:
            outcome = importing.commit_import(actor=actor, **arguments)
        if outcome.errors:
            for error in outcome.errors:
                self.stderr.write(str(error))
            raise CommandError(
                ngettext(
                    "The file has %(count)s error. Nothing was imported.",
                    "The file has %(count)s errors. Nothing was imported.",
                    len(outcome.errors),
                )
                % {"count": len(outcome.errors)},
                returncode=1,
            )
        self._report(outcome, dry_run=options["dry_run"])

    def _progress(self, items: Iterable[T], total: int, description: str) -> Iterable[T]:
        # Straight to the real stream: Django's wrapper would end every redraw with a newline.
        stream = getattr(self.stderr, "_out", self.stderr)
        return tqdm(
            items,
            total=total,
            desc=description,
            file=stream,
            unit=_("rows"),
            leave=False,
            disable=None if self.verbosity > 0 else True,  # None: only on a terminal
        )

    def _report(self, outcome: Outcome, *, dry_run: bool) -> None:
        if self.verbosity > 1 or dry_run:
            for change in outcome.changes:
                if change.status == Status.UNCHANGED:
                    continue
                row = f"{change.row}: " if change.row else ""
                details = "; ".join(change.details)
                self.stdout.write(
                    f"{row}[{change.status.value}] {change.key} {change.name} {details}"
                )
        if outcome.ignored_columns:
            self.stdout.write(
                _("Columns that were not recognised and were ignored: %(columns)s")
                % {"columns": ", ".join(outcome.ignored_columns)}
            )
        if dry_run:
            message = ngettext(
                "Dry run, nothing was written. %(rows)s row checked: %(summary)s",
                "Dry run, nothing was written. %(rows)s rows checked: %(summary)s",
                outcome.rows,
            )
        elif outcome.committed:
            message = ngettext(
                "Imported %(rows)s row: %(summary)s",
                "Imported %(rows)s rows: %(summary)s",
                outcome.rows,
            )
        else:
            message = ngettext(
                "Nothing to change: %(rows)s row checked: %(summary)s",
                "Nothing to change: %(rows)s rows checked: %(summary)s",
                outcome.rows,
            )
        self.stdout.write(
            self.style.SUCCESS(message % {"rows": outcome.rows, "summary": outcome.summary()})
        )


class Command(ImportCommand):
    help = (
        "Import units from a CSV file or Excel workbook: unit code, name, parent unit code and "
        "level. Units are matched by unit code; units not in the file are left alone. "
        "See docs/import.md."
    )
    kind = Kind.UNITS
