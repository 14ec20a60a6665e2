"""The `trygg` console command: Django's manage.py for this project."""

import os
import sys


def command_argv(argv: list[str]) -> list[str]:
    """Accept `trygg import-units` for the `import_units` command (and so for every command):
    Django names commands after their modules, which cannot contain dashes."""
    if len(argv) < 2 or argv[1].startswith("-") or "-" not in argv[1]:
        return argv
    import django
    from django.core.management import get_commands

    try:
        django.setup()
        commands = get_commands()
    except Exception:  # broken settings: let Django itself report them
        return argv
    underscored = argv[1].replace("-", "_")
    if argv[1] not in commands and underscored in commands:
        return [argv[0], underscored, *argv[2:]]
    return argv


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(command_argv(sys.argv))


if __name__ == "__main__":
    main()
