#!/usr/bin/env bash
# The README's test command: installs what the tests need, then runs the whole suite twice —
# on SQLite and on a throwaway PostgreSQL on loopback — browser tests (Playwright + Debian's Chromium) included.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

# --- System packages: Debian's Chromium and PostgreSQL, only when missing.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
# gettext's xgettext: the language test runs makemessages to find UI text the English catalogue lacks.
command -v xgettext >/dev/null 2>&1 || missing+=(gettext)
# WeasyPrint's libraries (the monitoring reports' PDF) and a font to embed.
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- Python packages in a project virtualenv.
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"

echo "== ruff"
.venv/bin/ruff check src tests benchmarks conftest.py
echo "== import-linter (app layers)"
.venv/bin/lint-imports --no-cache
echo "== mypy (django-stubs)"
.venv/bin/mypy
echo "== OpenAPI schema (valid, no warnings)"
MELDROUTE_ENVIRONMENT=test DJANGO_SETTINGS_MODULE=meldroute.conf.test \
  .venv/bin/django-admin spectacular --validate --fail-on-warn --file /dev/null
echo "== migrations match the models"
MELDROUTE_ENVIRONMENT=test DJANGO_SETTINGS_MODULE=meldroute.conf.test \
  .venv/bin/django-admin makemigrations --check --dry-run >/dev/null

mkdir -p test-artifacts
# Random order (pytest-randomly) with a seed this script chooses and prints, so a failing order can be replayed:
# MELDROUTE_TEST_SEED=<seed> bash scripts/test.sh
SEED=${MELDROUTE_TEST_SEED:-$(( (RANDOM << 15) | RANDOM ))}
echo "== random test order, seed $SEED (replay: MELDROUTE_TEST_SEED=$SEED bash scripts/test.sh)"
PYTEST=(.venv/bin/python -m pytest -q -p no:cacheprovider -p randomly --randomly-seed="$SEED"
        --screenshot only-on-failure --output test-artifacts/failures)

echo "== pytest on SQLite (random order, pytest-randomly; coverage with a floor that may only rise: pyproject.toml)"
COVERAGE=()
[ $# -eq 0 ] && COVERAGE=(--cov --cov-report=term)  # the floor is for the whole suite, not a selection
env -u DATABASE_URL "${PYTEST[@]}" "${COVERAGE[@]}" "$@"

# The suite passes on any day: every test runs on a set clock (conftest.py). The tests that read it (marked
# `clock`) run again at the moments where date arithmetic breaks: a Saturday, a Sunday, Koningsdag, the night
# the clocks go forward and the night they go back (02:30 local), and New Year's Eve one minute before midnight.
# Two at a time (each run has its own in-memory database and data folder), three moments each.
clock_runs() {
  local status=0 moment
  for moment in "$@"; do
    echo "== pytest -m clock on SQLite at $moment"
    env -u DATABASE_URL MELDROUTE_TEST_CLOCK="$moment" "${PYTEST[@]}" -m "clock and not e2e" || status=1
  done
  return $status
}
if [ $# -eq 0 ]; then
  clock_runs 2026-12-05T12:00:00+01:00 2027-04-27T09:00:00+02:00 2026-10-25T02:30:00+01:00 \
    > test-artifacts/clock-runs-1.log 2>&1 & first=$!
  clock_runs 2026-12-06T12:00:00+01:00 2027-03-28T02:30:00+01:00 2026-12-31T23:59:00+01:00 \
    > test-artifacts/clock-runs-2.log 2>&1 & second=$!
  status=0
  wait $first || status=1
  wait $second || status=1
  grep -hE "^== |passed|failed|FAILED|ERROR" test-artifacts/clock-runs-1.log test-artifacts/clock-runs-2.log || true
  [ $status -eq 0 ] || { echo "== a clock run failed: test-artifacts/clock-runs-*.log"; exit 1; }
fi

# --- A private PostgreSQL cluster on loopback, removed on exit whatever happens.
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGPORT=${MELDROUTE_TEST_PGPORT:-54329}
PGROOT=$(mktemp -d /tmp/meldroute-pg.XXXXXX)
chown postgres:postgres "$PGROOT" 2>/dev/null || true
as_postgres() { if [ "$(id -u)" = 0 ]; then (cd /tmp && runuser -u postgres -- "$@"); else (cd /tmp && "$@"); fi; }
pg_stop() {
  as_postgres "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PGROOT"
}
trap pg_stop EXIT
as_postgres "$PGBIN/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 30 \
  -o "-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null

echo "== pytest on PostgreSQL ($("$PGBIN/postgres" --version), random order)"
DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/meldroute" "${PYTEST[@]}" "$@"
echo "== benchmark smoke run (keeps benchmarks/inbox.py working; its timings are not judged here)"
.venv/bin/python benchmarks/inbox.py --signals 3000 --requests 3 --warmup 1 --pg-bin "$PGBIN" | tail -n 1
.venv/bin/python benchmarks/dashboard.py --signals 3000 --requests 3 --warmup 1 --pg-bin "$PGBIN" | tail -n 1
# The case list, the partner's referral list and "my signals" (exit status 1 if a page's query count grows with N).
.venv/bin/python benchmarks/lists.py --signals 3000 --requests 3 --warmup 1 --pg-bin "$PGBIN" | tail -n 1
# The meeting page as chair and participant (exit status 1 if its query count changes with history or items).
.venv/bin/python benchmarks/agenda.py --signals 3000 --generate 1500 --items 12 --requests 3 --warmup 1 \
  --pg-bin "$PGBIN" | tail -n 1
# Load and faults: two gunicorn instances, the worker, kill -9 of each, a PostgreSQL restart. Judged on nothing lost
# (exit status 1 if a signal is lost or doubled, a reminder is not sent exactly once, the audit chain breaks, or a
# request fails outside the drill's fault windows); its timings are not judged here. --generate 1500: the SQL copy too.
.venv/bin/python benchmarks/load.py --signals 3000 --generate 1500 --requests 300 --reminders 10 --think 0.2 \
  --pg-bin "$PGBIN" | tail -n 1
# Read replicas: a second primary with a streaming replica made by pg_basebackup (ports 54342/54343), and the
# monitoring tests with DATABASE_REPLICA_URL set, so the figures pages really read a server in recovery.
PGBIN="$PGBIN" bash scripts/replica_pass.sh
echo "== all test runs passed ($ROOT)"
