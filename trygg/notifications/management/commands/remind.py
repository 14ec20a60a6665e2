"""`trygg remind`: send every reminder that is due today, once, and run the periodic jobs
(`trygg.lib.periodic`): the tick of `trygg scheduler`, for cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from trygg.lib import periodic
from trygg.lib.dates import parse_norwegian_date
from trygg.notifications.services import run_reminders


class Command(BaseCommand):
    help = "Send the reminders that are due (each only once), in the app and by email."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Pretend today is this date (dd.mm.yyyy).")

    def handle(self, *args: Any, **options: Any) -> None:
        day = parse_norwegian_date(options["date"]) if options["date"] else None
        sent = run_reminders(day=day)
        self.stdout.write(f"{sent} new reminders.")
        if day is None:  # the jobs work on today's data
            periodic.run_jobs()
