"""Compile every trygg/locale/*/LC_MESSAGES/*.po catalogue to its .mo file with polib.

    python scripts/compile_messages.py           # write the .mo files
    python scripts/compile_messages.py --check   # only report .mo files that are out of date

Django's compilemessages needs GNU gettext's msgfmt; polib is pure Python, so installing Trygg
needs no system package. The .mo files are committed; trygg/lib/tests/test_locale.py fails
when one of them no longer matches its .po.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "trygg" / "locale"


def catalogues(locale_dir: Path) -> list[Path]:
    """Every .po file under locale_dir/<language>/LC_MESSAGES/, sorted."""
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def compiled(po_path: Path) -> bytes:
    """The .mo file's content for a .po file (fuzzy and untranslated entries left out)."""
    return polib.pofile(str(po_path)).to_binary()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args(argv)

    po_files = catalogues(LOCALE_DIR)
    if not po_files:
        print(f"compile_messages: no .po files under {LOCALE_DIR}", file=sys.stderr)
        return 1
    stale = []
    for po_path in po_files:
        mo_path = po_path.with_suffix(".mo")
        content = compiled(po_path)
        if mo_path.exists() and mo_path.read_bytes() == content:
            continue
        stale.append(mo_path)
        if not args.check:
            mo_path.write_bytes(content)
            print(f"compiled {mo_path}")
    if args.check and stale:
        for mo_path in stale:
            print(f"out of date: {mo_path}", file=sys.stderr)
        print("Run: python scripts/compile_messages.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
