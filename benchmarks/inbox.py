#!/usr/bin/env python
"""Benchmark: the AF inbox and the melder's "my signals" page on a large, realistic data set.

Starts a throwaway PostgreSQL on loopback (or uses --database-url), migrates, bulk-seeds a fictional
region, then times both pages through Django's test Client, so the whole request path (middleware,
session, queries, template) is measured. See benchmarks/README.md.

The last line of output is always:
    inbox_median_ms=<n> inbox_queries=<n> mine_median_ms=<n> signals=<n>
"""

import argparse
import glob
import math
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))  # works without the editable install too

DEFAULT_PG_BIN = "/usr/lib/postgresql/15/bin"
BATCH = 2000
YEARS = 3

# A fictional region: (name, CBS-like code, relative size). Sizes make the load uneven, as in real life;
# the benchmark logs in at the largest municipality, so it measures the worst inbox.
REGION = ("Regio Brakwaterland (benchmark)", "bench-brakwaterland")
MUNICIPALITIES = [
    ("Brakwater", "GM7001", 180), ("Zoutendijk", "GM7002", 95), ("Elsholt", "GM7003", 60),
    ("Gravenmeer", "GM7004", 48), ("Hoogeloo", "GM7005", 41), ("Kraaiveen", "GM7006", 36),
    ("Lommerzijl", "GM7007", 30), ("Marwoude", "GM7008", 27), ("Nijebroek", "GM7009", 24),
    ("Oudwierum", "GM7010", 21), ("Pijlstee", "GM7011", 18), ("Rietakker", "GM7012", 15),
    ("Schalkwoude", "GM7013", 12), ("Terhaar", "GM7014", 10), ("Vlietdorp", "GM7015", 8),
]
AFS_PER_MUNICIPALITY = 2
MELDERS_PER_MUNICIPALITY = 20
TEAMS = ["balie", "kcc", "toezicht", "boa", "leerplicht", "wijkteam", "zwi", "vergunningen", "oov"]
DESCRIPTIONS = [
    "Fictief benchmarksignaal: veel wisselende bewoners op één adres, ramen afgeplakt.",
    "Fictief benchmarksignaal: medewerker lijkt geen toegang te hebben tot eigen paspoort.",
    "Fictief benchmarksignaal: persoon wordt steeds door dezelfde man gebracht en gehaald.",
    "Fictief benchmarksignaal: lange werkdagen, loon gaat naar een tussenpersoon.",
    "Fictief benchmarksignaal: jongere verzuimt school en heeft opvallend dure spullen.",
]
# Status mix of active signals (together ~13% of all; with unsent feedback ~15% need attention).
ACTIVE_MIX = [("received", 30), ("in_triage", 30), ("info_requested", 10), ("in_route", 15),
              ("forwarded", 10), ("reopened", 5)]
OUTCOME_MIX = [("no_trafficking", 35), ("trafficking_routed", 25), ("insufficient_information", 20),
               ("other_phenomenon", 15), ("duplicate", 5)]
PHENOMENA = ["undermining", "domestic_violence", "poor_housing", "labour_law", "care_need"]


def log(message: str = "") -> None:
    print(message, flush=True)


# --------------------------------------------------------------------------- throwaway PostgreSQL


class ThrowawayPostgres:
    """initdb + pg_ctl start in a temp dir on 127.0.0.1; stop() stops it and removes the dir."""

    def __init__(self, port: int, pg_bin: str):
        self.port = port
        self.pg_bin = pg_bin
        self.root: str | None = None
        self.started = False

    def _run(self, *args: str) -> None:
        command = [os.path.join(self.pg_bin, args[0]), *args[1:]]
        if os.geteuid() == 0:  # initdb refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, cwd="/tmp", check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> str:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise SystemExit(f"port {self.port} is already in use; pick another with --port")
        self.root = tempfile.mkdtemp(prefix="meldroute-bench-pg.")
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        data = os.path.join(self.root, "data")
        self._run("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", data, "-l", os.path.join(self.root, "server.log"), "-w", "-t", "30",
                  "-o", options, "start")
        self.started = True
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "bench")
        return f"postgres://postgres@127.0.0.1:{self.port}/bench"

    def stop(self) -> None:
        if self.root is None:
            return
        if self.started:
            try:
                self._run("pg_ctl", "-D", os.path.join(self.root, "data"), "-m", "fast", "-w", "stop")
            except (subprocess.CalledProcessError, OSError):
                pass
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None


def find_pg_bin(requested: str | None) -> str:
    candidates = [requested] if requested else [DEFAULT_PG_BIN, *sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                                                        reverse=True)]
    for candidate in candidates:
        if candidate and os.path.exists(os.path.join(candidate, "initdb")):
            return candidate
    raise SystemExit("no PostgreSQL binaries found (apt-get install postgresql, or pass --pg-bin)")


def _raise_exit(signum, frame):
    raise SystemExit(128 + signum)  # so the finally-cleanup also runs on SIGTERM / SIGHUP


# --------------------------------------------------------------------------- Django


def setup_django(database_url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["MELDROUTE_ENVIRONMENT"] = "test"
    os.environ["MELDROUTE_DATA_DIR"] = data_dir
    os.environ["MELDROUTE_DEBUG"] = "false"  # DEBUG would keep every query in memory and slow the pages down
    os.environ["MELDROUTE_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("MELDROUTE_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "meldroute.conf.settings"
    import django

    django.setup()


def seed_region():
    from meldroute.accounts.constants import Role
    from meldroute.accounts.models import RoleAssignment, User
    from meldroute.organisations.models import Organisation, Region

    if Region.objects.filter(slug=REGION[1]).exists():
        raise SystemExit("this database already holds the benchmark region; use an empty database")
    region = Region.objects.create(name=REGION[0], slug=REGION[1])
    municipalities = Organisation.objects.bulk_create(
        [Organisation(name=name, kind="municipality", region=region, code=code) for name, code, _ in MUNICIPALITIES])
    users, roles = [], []
    for muni in municipalities:
        slug = muni.code.lower()
        for n in range(1, AFS_PER_MUNICIPALITY + 1):
            users.append((User(username=f"bench.af{n}.{slug}", first_name="AF", last_name=f"{n} {muni.name}",
                               organisation=muni, team="oov"), Role.AF))
        for n in range(1, MELDERS_PER_MUNICIPALITY + 1):
            users.append((User(username=f"bench.melder{n:02d}.{slug}", first_name="Melder",
                               last_name=f"{n} {muni.name}", organisation=muni, team=TEAMS[n % len(TEAMS)]),
                          Role.MELDER))
    for user, _ in users:
        user.set_unusable_password()
    User.objects.bulk_create([user for user, _ in users])
    for user, role in users:
        roles.append(RoleAssignment(user=user, role=role))
    RoleAssignment.objects.bulk_create(roles)
    afs = {m.pk: [u for u, r in users if r == Role.AF and u.organisation_id == m.pk] for m in municipalities}
    melders = {m.pk: [u for u, r in users if r == Role.MELDER and u.organisation_id == m.pk] for m in municipalities}
    return municipalities, afs, melders


def _cumulative(weights):
    total, out = 0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def build_signal(signal_model, i: int, rng: random.Random, now, muni, afs, melders, melder_cum):
    """One signal in a realistic state; the fields the services would have set, without the history."""
    day = timedelta(days=1)
    span = YEARS * 365 * day
    reporter = rng.choices(melders, cum_weights=melder_cum)[0]
    is_acute = rng.random() < 0.10
    triage = timedelta(hours=4) if is_acute else 7 * day
    fields = {"assigned_to": rng.choice(afs), "deadline_at": None, "closed_at": None, "outcome": "",
              "phenomenon": "", "feedback_due_at": None, "feedback_sent_at": None}
    r = rng.random()
    if r < 0.13:  # still being worked on: mostly recent, a few long-running ones
        status = rng.choices([s for s, _ in ACTIVE_MIX], weights=[w for _, w in ACTIVE_MIX])[0]
        received = now - min(timedelta(days=rng.expovariate(1 / 30)), span)
        if status == "received":
            fields["assigned_to"] = None if rng.random() < 0.7 else fields["assigned_to"]
            fields["deadline_at"] = received + triage
        elif status in ("in_triage", "reopened"):
            fields["deadline_at"] = received + triage
        elif status == "info_requested":
            fields["deadline_at"] = received + 14 * day
        else:  # in_route / forwarded: the feedback clock runs
            fields["feedback_due_at"] = received + rng.uniform(3, 20) * day
            fields["deadline_at"] = fields["feedback_due_at"]
    elif r < 0.155:  # closed, but the reporter is still owed feedback (mostly overdue)
        status = "closed"
        fields["closed_at"] = now - rng.uniform(0, 120) * day
        received = fields["closed_at"] - rng.uniform(0.5, 30) * day
        fields["feedback_due_at"] = fields["closed_at"] + 14 * day
        fields["deadline_at"] = fields["feedback_due_at"]
    elif r < 0.20:  # withdrawn
        status = "cancelled"
        received = now - rng.random() * span
    else:  # closed and done: the bulk of three years
        status = "closed"
        received = now - rng.uniform(60, YEARS * 365) * day
        fields["closed_at"] = received + rng.uniform(0.5, 40) * day
        fields["feedback_due_at"] = fields["closed_at"] + 14 * day
        fields["feedback_sent_at"] = fields["closed_at"] + rng.uniform(0.2, 13) * day
    if status == "closed":
        fields["outcome"] = rng.choices([o for o, _ in OUTCOME_MIX], weights=[w for _, w in OUTCOME_MIX])[0]
        if fields["outcome"] == "other_phenomenon":
            fields["phenomenon"] = rng.choice(PHENOMENA)
    return signal_model(
        reference=f"MB-{i:08d}", municipality=muni, channel="internal", reporter=reporter,
        source_organisation=muni, reporter_team=reporter.team, is_acute=is_acute, status=status,
        description=DESCRIPTIONS[i % len(DESCRIPTIONS)], received_at=received, **fields,
    )


def seed_signals(start: int, count: int, rng: random.Random, municipalities, afs, melders) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from meldroute.intake.models import Signal

    now = timezone.now()
    muni_cum = _cumulative([size for _, _, size in MUNICIPALITIES])
    # Some melders report much more than others (1/sqrt(k) weights); the benchmark uses the busiest one.
    melder_cum = _cumulative([1 / math.sqrt(k) for k in range(1, MELDERS_PER_MUNICIPALITY + 1)])
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Wait for the commit's WAL flush (the throwaway server runs synchronous_commit=off): until it is
            # flushed, hint bits can't be set, so the VACUUM in analyze() would leave the visibility map empty and the
            # benchmark would run against a table that a live, autovacuumed database never looks like.
            cursor.execute("SET LOCAL synchronous_commit = on")
        for batch_start in range(start, start + count, BATCH):
            batch = []
            for i in range(batch_start, min(batch_start + BATCH, start + count)):
                muni = rng.choices(municipalities, cum_weights=muni_cum)[0]
                batch.append(build_signal(Signal, i + 1, rng, now, muni, afs[muni.pk], melders[muni.pk], melder_cum))
            Signal.objects.bulk_create(batch)


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        # What autovacuum would have done on a live database: statistics, and a visibility map that lets
        # index-only scans skip the heap. (A database-wide VACUUM right after the load leaves the map empty.)
        cursor.execute("VACUUM (ANALYZE) intake_signal")
        cursor.execute("ANALYZE")


# --------------------------------------------------------------------------- measuring


def time_page(client, url: str, requests: int, warmup: int, marker: bytes) -> tuple[float, float]:
    for _ in range(warmup):
        check(client.get(url), url, marker)
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        check(response, url, marker)
    ranked = sorted(samples)
    p95 = ranked[max(0, math.ceil(0.95 * len(ranked)) - 1)]
    return statistics.median(samples), p95


def check(response, url: str, marker: bytes) -> None:
    if response.status_code != 200 or marker not in response.content:
        raise SystemExit(f"GET {url} returned {response.status_code} without the expected table")


def capture(client, url: str):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return ctx.captured_queries


def explain(queries) -> None:
    from django.db import connection

    for query in queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT") or '"intake_signal"' not in sql:
            continue
        log(f"\n-- {float(query['time']) * 1000:.1f} ms in the request: {sql}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            for (line,) in cursor.fetchall():
                log("   " + line)


def run(args, database_url: str, data_dir: str) -> dict:
    setup_django(database_url, data_dir)
    from django.core.management import call_command
    from django.test import Client

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"migrate: {time.perf_counter() - started:.1f} s")

    rng = random.Random(args.seed)
    started = time.perf_counter()
    municipalities, afs, melders = seed_region()
    seed_signals(0, args.signals, rng, municipalities, afs, melders)
    seeded = time.perf_counter() - started
    started = time.perf_counter()
    analyze()
    log(f"seed: {args.signals} signals, {len(MUNICIPALITIES)} municipalities in {seeded:.1f} s "
        f"({args.signals / max(seeded, 1e-9):.0f}/s); VACUUM + ANALYZE {time.perf_counter() - started:.1f} s")

    from meldroute.intake.models import Signal
    from meldroute.intake.selectors import inbox_for

    largest = municipalities[0]
    af, melder = afs[largest.pk][0], melders[largest.pk][0]
    in_muni = Signal.objects.filter(municipality=largest).count()
    attention = inbox_for(af, "attention").count()
    overdue = inbox_for(af, "feedback_overdue").count()
    log(f"benchmark AF: {af.username} ({in_muni} signals in {largest.name}, {attention} need attention, "
        f"{overdue} feedback overdue); melder: {melder.username} "
        f"({Signal.objects.filter(reporter=melder).count()} own signals)")

    af_client, melder_client = Client(), Client()
    af_client.force_login(af)
    melder_client.force_login(melder)
    inbox_marker, mine_marker = b'data-testid="inbox"', b"utrecht-table"

    inbox_median, inbox_p95 = time_page(af_client, "/inbox/", args.requests, args.warmup, inbox_marker)
    inbox_queries = capture(af_client, "/inbox/")
    mine_median, mine_p95 = time_page(melder_client, "/meldingen/", args.requests, args.warmup, mine_marker)
    mine_queries = capture(melder_client, "/meldingen/")
    log(f"/inbox/      median {inbox_median:7.1f} ms  p95 {inbox_p95:7.1f} ms  queries {len(inbox_queries)}")
    log(f"/meldingen/  median {mine_median:7.1f} ms  p95 {mine_p95:7.1f} ms  queries {len(mine_queries)}")
    if args.show_queries:
        log("\nqueries of one /inbox/ request:")
        for n, query in enumerate(inbox_queries, 1):
            log(f"{n:3d}. {float(query['time']) * 1000:5.1f} ms  {query['sql'][:150]}")
    if args.explain:
        log("\nEXPLAIN ANALYZE of the inbox's queries on intake_signal (as the view ran them):")
        explain(inbox_queries)
        log("")

    # The query count must not depend on N: add 10% more signals and count again.
    extra = max(1, args.signals // 10)
    seed_signals(args.signals, extra, rng, municipalities, afs, melders)
    analyze()
    grown_median, _ = time_page(af_client, "/inbox/", args.requests, args.warmup, inbox_marker)
    grown_queries = capture(af_client, "/inbox/")
    constant = len(grown_queries) == len(inbox_queries)
    log(f"/inbox/ at {args.signals + extra} signals: median {grown_median:.1f} ms, queries {len(grown_queries)} "
        f"(at {args.signals}: {len(inbox_queries)}) -> query count "
        f"{'constant' if constant else 'GROWS WITH N'}")

    from django.db import connections

    connections.close_all()
    return {"inbox_median_ms": inbox_median, "inbox_queries": len(inbox_queries), "mine_median_ms": mine_median,
            "signals": args.signals, "constant": constant}


def run_on_postgres(args, run) -> dict | None:
    """Run `run(args, database_url, data_dir)` on --database-url or a throwaway PostgreSQL that is removed
    afterwards whatever happens; None when a command it ran failed (reported on stderr)."""
    wall = time.perf_counter()
    postgres = None
    data_dir = tempfile.mkdtemp(prefix="meldroute-bench-data.")
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_exit)
    try:
        database_url = args.database_url
        if not database_url:
            postgres = ThrowawayPostgres(args.port, find_pg_bin(args.pg_bin))
            database_url = postgres.start()
            log(f"throwaway PostgreSQL on 127.0.0.1:{args.port} in {postgres.root}")
        results = run(args, database_url, data_dir)
    except subprocess.CalledProcessError as error:
        sys.stderr.write(f"{' '.join(error.cmd)} failed:\n{(error.stderr or b'').decode(errors='replace')}\n")
        return None
    finally:
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
    log(f"total: {time.perf_counter() - wall:.1f} s")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=100_000, help="signals to seed (default 100000)")
    parser.add_argument("--port", type=int, default=54331, help="port of the throwaway PostgreSQL (default 54331)")
    parser.add_argument("--database-url", help="use this (empty) database instead of a throwaway one")
    parser.add_argument("--pg-bin", help=f"PostgreSQL binaries (default {DEFAULT_PG_BIN})")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up requests per page (default 3)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the data set")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the inbox's queries")
    parser.add_argument("--show-queries", action="store_true", help="list every query of one inbox request")
    args = parser.parse_args()
    if args.signals < 1 or args.requests < 1:
        parser.error("--signals and --requests must be at least 1")

    results = run_on_postgres(args, run)
    if results is None:
        return 1
    log(f"inbox_median_ms={results['inbox_median_ms']:.1f} inbox_queries={results['inbox_queries']} "
        f"mine_median_ms={results['mine_median_ms']:.1f} signals={results['signals']}")
    return 0 if results["constant"] else 1


if __name__ == "__main__":
    sys.exit(main())
