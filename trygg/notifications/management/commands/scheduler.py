"""`trygg scheduler`: the periodic tick. Every --interval seconds it enqueues one reminder run
for the worker (`trygg db_worker`). `make run` starts it beside the web server and the worker;
in production run it as its own service, or call `trygg remind` from cron instead."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from trygg.notifications.tasks import run_reminders


class Command(BaseCommand):
    help = "Enqueue the reminder run every --interval seconds (default 900)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=int, default=900)
        parser.add_argument("--once", action="store_true", help="Enqueue one run and stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            run_reminders.enqueue()
            if options["once"]:
                return
            time.sleep(max(options["interval"], 10))
