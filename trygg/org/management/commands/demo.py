"""`trygg demo`: build the demo municipality, or a large organisation for benchmarks."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import ProtectedError

from trygg.accounts.models import Organisation
from trygg.org import demo


class Command(BaseCommand):
    help = (
        "Create the demo municipality “Demo kommune” (about 300 employees, one login per role), "
        "or with --employees a large organisation for benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already has an organisation (used by `make run`).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the organisation first if it exists, with all its data and logins.",
        )
        parser.add_argument(
            "--employees",
            type=int,
            metavar="N",
            help=f"Create a large organisation with N employees using bulk inserts "
            f"(default short name “{demo.LARGE_SLUG}”).",
        )
        parser.add_argument(
            "--organisation-slug",
            metavar="SLUG",
            help=f"Short name of the organisation to create (default “{demo.DEMO_SLUG}”, "
            f"or “{demo.LARGE_SLUG}” with --employees). Logins are prefixed with it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        employees: int | None = options["employees"]
        if options["if_empty"] and Organisation.objects.exists():
            self.stdout.write("The database already has an organisation; no demo data was added.")
            return
        if employees is not None and employees < 200:
            raise CommandError("--employees must be at least 200.")
        slug = options["organisation_slug"] or (demo.LARGE_SLUG if employees else demo.DEMO_SLUG)
        existing = Organisation.objects.filter(slug=slug).first()
        if existing is not None:
            if not options["reset"]:
                raise CommandError(
                    f"The organisation “{slug}” already exists. "
                    "Run `trygg demo --reset` to delete it and build it again."
                )
            try:
                demo.delete_organisation(existing)
            except ProtectedError as error:
                raise CommandError(f"“{slug}” could not be deleted: {error.args[0]}") from error
            self.stdout.write(f"Deleted the organisation “{slug}”.")
        taken = demo.conflicting_usernames(slug)
        if taken:
            raise CommandError(
                f"These usernames belong to other organisations: {', '.join(taken)}. "
                "Choose another --organisation-slug."
            )

        started = time.perf_counter()
        if employees is None:
            organisation = demo.build_demo(slug=slug)
            count, units = demo.current_employee_count(organisation), organisation.units.count()
        else:
            result = demo.build_large(employees=employees, slug=slug)
            organisation, count, units = result.organisation, result.employees, result.units
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created “{organisation.name}” ({slug}): {count} employees in {units} units "
                f"in {seconds:.1f} s."
            )
        )
        self.stdout.write(f"Logins: `trygg demo-logins --table{_slug_option(slug)}`.")


def _slug_option(slug: str) -> str:
    return "" if slug == demo.DEMO_SLUG else f" --organisation-slug {slug}"
