"""The `meldroute` command: `meldroute demo`, `meldroute worker`, or any Django management command."""

import os
import sys


def _setup(environment: str | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldroute.conf.settings")
    if environment:
        os.environ.setdefault("MELDROUTE_ENVIRONMENT", environment)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else "help"
    if command == "demo":
        _setup("demo")
        os.environ.setdefault("MELDROUTE_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
        os.environ.setdefault("MELDROUTE_DEBUG", "false")
    else:
        _setup()
    from django.core.management import execute_from_command_line

    if command in ("demo", "worker"):
        argv = [argv[0], f"run_{command}", *argv[2:]]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
