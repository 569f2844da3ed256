"""`meldroute demo`: migrate the embedded database, seed it once, start the worker and serve on 127.0.0.1:8000."""

import atexit
import signal as os_signal
import subprocess
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.wsgi import get_wsgi_application

from meldroute.demo.idp import IDP_PASSWORD, idp_accounts, start_demo_idp
from meldroute.demo.seed import DEMO_API_TOKEN, DEMO_PASSWORD, logins
from meldroute.triage.fake_services import settings_for, start_fake_services


class Command(BaseCommand):
    help = "Runs the Meldroute demo on an embedded SQLite database."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Prepare the database and exit.")

    def handle(self, *args: Any, addrport: str, no_serve: bool, **options: Any) -> None:
        self.stdout.write(f"Data folder: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for username, roles, organisation in logins():
            self.stdout.write(f"  {username:<24} {roles:<40} {organisation}")
        self.stdout.write(f"\nPartner API token (partner.politie): {DEMO_API_TOKEN}")
        self.stdout.write(f"Mail (alerts, reminders) is written to {settings.EMAIL_FILE_PATH}")
        if no_serve:
            return
        # Fictional BRP and KvK on loopback, in this process (runserver runs without reloader), for the AF's lookups.
        brp, kvk = start_fake_services()
        settings.MELDROUTE.update(settings_for(brp, kvk))
        self.stdout.write(f"Fake BRP: {brp.url}  Fake KvK: {kvk.url}  (fictieve gegevens)")
        # A real OpenID provider on loopback: Veenhorst's people log in with their organisation account (accounts.oidc).
        idp = start_demo_idp(addrport)
        self.stdout.write(f"\nDemo identity provider: {idp.issuer}  (fictief; password for all: {IDP_PASSWORD})")
        self.stdout.write("  'Inloggen met uw organisatie-account' on the login page; "
                          "second factor asked by the IdP unless marked")
        for account in idp_accounts():
            self.stdout.write(f"  {account.username:<40} {'' if account.mfa else '(Meldroute vraagt zelf TOTP)'}")
        worker = subprocess.Popen([sys.executable, "-m", "meldroute.cli", "worker"])  # noqa: S603
        atexit.register(worker.terminate)
        # SIGTERM stops the demo like Ctrl+C: the server returns, atexit stops the worker, the registers are threads.
        os_signal.signal(os_signal.SIGTERM, _stop)
        self.stdout.write(self.style.SUCCESS(f"\nMeldroute runs on http://{addrport}/  (Ctrl+C stops)\n"))
        serve_demo(addrport)
        worker.terminate()
        worker.wait(timeout=10)


def _stop(*_: Any) -> None:
    raise KeyboardInterrupt


def serve_demo(addrport: str) -> None:
    """A real WSGI server for the demo: waitress, pure Python and multi-threaded in this one process, because the
    fake registers live in it. Production runs gunicorn (conf/gunicorn.py, docs/operations.md)."""
    from waitress import serve

    try:
        serve(get_wsgi_application(), listen=addrport, threads=8, ident="Meldroute")
    except KeyboardInterrupt:
        pass
