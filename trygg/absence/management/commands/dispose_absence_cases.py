"""`trygg dispose-absence-cases`: delete or anonymise closed follow-up cases older than each
organisation's retention period (the reminder tick does the same every day)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from trygg.absence import services


class Command(BaseCommand):
    help = "Delete or anonymise closed sick-leave follow-up cases after the retention period."

    def handle(self, *args: Any, **options: Any) -> None:
        handled = services.dispose_closed_cases()
        self.stdout.write(f"{handled} closed follow-up cases handled")
