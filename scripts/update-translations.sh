#!/usr/bin/env bash
# After changing UI text: refresh the English catalogue, translate the new entries in
# src/meldroute/locale/en/LC_MESSAGES/django.po, then run this again to compile django.mo (committed,
# so installs need no gettext). Needs Debian's gettext package (apt-get install gettext).
set -euo pipefail
cd "$(dirname "$0")/../src/meldroute"
export MELDROUTE_ENVIRONMENT=test MELDROUTE_DATA_DIR="${TMPDIR:-/tmp}/meldroute-makemessages"
export DJANGO_SETTINGS_MODULE=meldroute.conf.settings
../../.venv/bin/django-admin makemessages -l en --ignore "*/tests/*" --ignore "*/migrations/*" --ignore "static/*" \
  --no-obsolete
msgfmt --check --statistics -o locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po
# Dutch: only the gaps in Django REST framework's Dutch catalogue (written by hand, not by makemessages).
msgfmt --check --statistics -o locale/nl/LC_MESSAGES/django.mo locale/nl/LC_MESSAGES/django.po
