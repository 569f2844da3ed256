#!/usr/bin/env bash
# The read-replica pass of the test command: a PostgreSQL primary and a streaming replica made from it with
# pg_basebackup, both on loopback, then the monitoring tests with DATABASE_REPLICA_URL set, so the dashboard, the
# regional view, the reports and the exports really read from a server in recovery (tests/test_replicas.py checks
# that). The primary commits with synchronous_commit=remote_apply to the replica: a committed row is visible on the
# replica when the commit returns, as the tests (committed, see conftest.py) need. Both servers and their folder
# are removed on exit, whatever happens.
#   bash scripts/replica_pass.sh [pytest args]     ports: MELDROUTE_TEST_PRIMARY_PORT (54342), ..._REPLICA_PORT (54343)
set -euo pipefail
cd "$(dirname "$0")/.."
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
PRIMARY=${MELDROUTE_TEST_PRIMARY_PORT:-54342}
REPLICA=${MELDROUTE_TEST_REPLICA_PORT:-54343}
ROOT=$(mktemp -d "${MELDROUTE_REPLICA_TMP:-/tmp}/meldroute-replica.XXXXXX")
chown postgres:postgres "$ROOT" 2>/dev/null || true
as_postgres() { if [ "$(id -u)" = 0 ]; then (cd /tmp && runuser -u postgres -- "$@"); else (cd /tmp && "$@"); fi; }
cleanup() {
  as_postgres "$PGBIN/pg_ctl" -D "$ROOT/replica" -m immediate -w stop >/dev/null 2>&1 || true
  as_postgres "$PGBIN/pg_ctl" -D "$ROOT/primary" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$ROOT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_postgres "$PGBIN/initdb" -D "$ROOT/primary" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$ROOT/primary" -l "$ROOT/primary.log" -w -t 30 \
  -o "-p $PRIMARY -k $ROOT -c listen_addresses=127.0.0.1 -c fsync=off -c wal_level=replica -c max_wal_senders=4 \
      -c synchronous_standby_names=* -c synchronous_commit=remote_apply" start >/dev/null
as_postgres "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY" -U postgres -D "$ROOT/replica" -R -X stream \
  -c fast >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$ROOT/replica" -l "$ROOT/replica.log" -w -t 30 \
  -o "-p $REPLICA -k $ROOT -c listen_addresses=127.0.0.1 -c fsync=off -c hot_standby=on -c hot_standby_feedback=on" \
  start >/dev/null
state=""
for _ in $(seq 1 50); do  # until the primary counts the replica as its synchronous standby
  state=$(as_postgres "$PGBIN/psql" -h 127.0.0.1 -p "$PRIMARY" -U postgres -Atc \
    "SELECT sync_state FROM pg_stat_replication" 2>/dev/null || true)
  [ "$state" = "sync" ] && break
  sleep 0.2
done
[ "$state" = "sync" ] || { echo "the replica did not start streaming (see $ROOT/*.log)"; cat "$ROOT"/*.log; exit 1; }
in_recovery=$(as_postgres "$PGBIN/psql" -h 127.0.0.1 -p "$REPLICA" -U postgres -Atc "SELECT pg_is_in_recovery()")
echo "== pytest with a streaming read replica ($("$PGBIN/postgres" --version); replica in recovery: $in_recovery)"
DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY/meldroute" \
DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$REPLICA/meldroute" \
  .venv/bin/python -m pytest -q -p no:cacheprovider -p no:randomly \
  `# seeds the demo once per module in a rolled-back transaction: a replica never sees it (and the flush after each` \
  `# committed test empties what it needs); the rollups' own tests prove the same regional counts` \
  --ignore=src/meldroute/monitoring/tests/test_insider_demo.py \
  ${MELDROUTE_REPLICA_TESTS:-src/meldroute/monitoring src/meldroute/rollups tests/test_replicas.py} "$@"
