"""`trygg demo-logins`: the demo logins, as JSON for scripts or as a table for people."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from trygg.org import demo


class Command(BaseCommand):
    help = "Print the demo organisation's logins (role, username, password, name) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--table", action="store_true", help="Print a table for people instead of JSON."
        )
        parser.add_argument(
            "--organisation-slug",
            metavar="SLUG",
            default=demo.DEMO_SLUG,
            help=f"The generated organisation (default “{demo.DEMO_SLUG}”).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo.demo_logins(options["organisation_slug"])
        if not options["table"]:
            self.stdout.write(json.dumps(logins, ensure_ascii=False, indent=2))
            return
        if not logins:
            self.stdout.write("No demo logins in this database (run `trygg demo` to create them).")
            return
        rows = [(demo.login_label(x["role"]), x["username"], x["name"]) for x in logins]
        headers = ("Role", "Username", "Name")
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        self.stdout.write("")
        self.stdout.write(f"  Demo logins (password for all: {demo.DEMO_PASSWORD})")
        self.stdout.write(("  " + line.format(*headers)).rstrip())
        self.stdout.write("  " + line.format(*("-" * w for w in widths)))
        for row in rows:
            self.stdout.write(("  " + line.format(*row)).rstrip())
