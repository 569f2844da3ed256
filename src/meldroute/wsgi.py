"""WSGI entry point for production app processes (gunicorn/uwsgi behind a reverse proxy)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldroute.conf.settings")
application = get_wsgi_application()
