"""`trygg import-employees FILE --organisation SLUG`: import employees from an HR export."""

from __future__ import annotations

from trygg.org.importing import Kind
from trygg.org.management.commands.import_units import ImportCommand


class Command(ImportCommand):
    help = (
        "Import employees and their positions from a CSV file or Excel workbook. People are "
        "matched by employee number; people with a current position who are not in the file "
        "have it ended the day before today. See docs/import.md."
    )
    kind = Kind.EMPLOYEES
