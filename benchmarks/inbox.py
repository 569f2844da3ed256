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

    def __init__(self, port: int, pg_bin: str, keep: str | None = None):
        self.port = port
        self.pg_bin = pg_bin
        self.root: str | None = None
        self.started = False
        self.keep = keep  # a directory to keep the cluster in (and reuse on the next run) instead of a temp dir
        self.reused = False

    def _run(self, *args: str) -> None:
        command = [os.path.join(self.pg_bin, args[0]), *args[1:]]
        if os.geteuid() == 0:  # initdb refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, cwd="/tmp", check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> str:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise SystemExit(f"port {self.port} is already in use; pick another with --port")
        if self.keep:
            self.root = os.path.abspath(self.keep)
            os.makedirs(self.root, exist_ok=True)
        else:
            self.root = tempfile.mkdtemp(prefix="meldroute-bench-pg.")
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        data = os.path.join(self.root, "data")
        self.reused = os.path.exists(os.path.join(data, "PG_VERSION"))
        if not self.reused:
            self._run("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", data, "-l", os.path.join(self.root, "server.log"), "-w", "-t", "30",
                  "-o", options, "start")
        self.started = True
        if not self.reused:
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
        if not self.keep:
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


def build_signal(signal_model, i: int, rng: random.Random, now, muni, afs, melders, melder_cum, history=1.0):
    """One signal in a realistic state; the fields the services would have set, without the history.

    `history` stretches the past (see history_for): the closed and cancelled signals spread over YEARS × history
    years and the chance of being open work is divided by it, so the signals per month stay the same."""
    day = timedelta(days=1)
    span = YEARS * history * 365 * day
    open_share = 1 / history
    reporter = rng.choices(melders, cum_weights=melder_cum)[0]
    is_acute = rng.random() < 0.10
    triage = timedelta(hours=4) if is_acute else 7 * day
    fields = {"assigned_to": rng.choice(afs), "deadline_at": None, "closed_at": None, "outcome": "",
              "phenomenon": "", "feedback_due_at": None, "feedback_sent_at": None}
    r = rng.random()
    if r < 0.13 * open_share:  # still being worked on: mostly recent, a few long-running ones
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
    elif r < 0.155 * open_share:  # closed, but the reporter is still owed feedback (mostly overdue)
        status = "closed"
        fields["closed_at"] = now - rng.uniform(0, 120) * day
        received = fields["closed_at"] - rng.uniform(0.5, 30) * day
        fields["feedback_due_at"] = fields["closed_at"] + 14 * day
        fields["deadline_at"] = fields["feedback_due_at"]
    elif r < 0.155 * open_share + 0.045:  # withdrawn
        status = "cancelled"
        received = now - rng.random() * span
    else:  # closed and done: the bulk of three years
        status = "closed"
        received = now - rng.uniform(60, YEARS * history * 365) * day
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


def history_for(signals: int, growth: str) -> float:
    """--growth history: beyond 100 000, more signals means a longer past at the same pace (as many signals a month,
    so the same open work and the same last 12 months as at 100 000; 1 000 000 signals span 30 years).
    --growth rate: the same 3 years at a higher pace (open work and the last 12 months grow with N)."""
    return max(1.0, signals / 100_000) if growth == "history" else 1.0


def seed_signals(start: int, count: int, rng: random.Random, municipalities, afs, melders, history=1.0) -> None:
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
                batch.append(build_signal(Signal, i + 1, rng, now, muni, afs[muni.pk], melders[muni.pk], melder_cum,
                                          history))
            Signal.objects.bulk_create(batch)


def clone_sql(model, template_id: int, overrides: dict[str, str], source: str) -> str:
    """INSERT … SELECT that copies a template row of `model` once per row of `source` (alias s), with `overrides`
    (column -> SQL expression) — so bulk rows get every column the ORM would have written, in SQL speed."""
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields if f.column != "id"]
    values = [overrides.get(c, f't."{c}"') for c in columns]
    names = ", ".join(f'"{c}"' for c in columns)
    return (f'INSERT INTO "{table}" ({names}) SELECT {", ".join(values)} '
            f'FROM "{table}" t, ({source}) s WHERE t.id = {int(template_id)}')


def seed_links_and_routes(after_id: int, municipalities) -> None:
    """For the signals with id > after_id, in SQL: an address link for ~60 % of them (what the pattern alert groups;
    ~3 signals an address, so some addresses reach the alert) and a route for every signal in a route — finished with
    its 3 steps done for closed ones, one step active (some overdue) for open ones."""
    from django.db import connection, transaction
    from django.db.models import Count

    from meldroute.core.crypto import blind_index, encrypt
    from meldroute.intake.models import Signal
    from meldroute.routing.models import SignalRoute, SignalRouteStep
    from meldroute.triage.models import SignalLink

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = on")  # as in seed_signals
        cursor.execute("CREATE TEMP TABLE IF NOT EXISTS bench_pool (muni int, n int, value text, key text, "
                       "label text, PRIMARY KEY (muni, n)) ON COMMIT DROP")
        cursor.execute("CREATE TEMP TABLE IF NOT EXISTS bench_pool_size (muni int PRIMARY KEY, size int) "
                       "ON COMMIT DROP")
        sizes = {row["municipality_id"]: row["n"] for row in Signal.objects.filter(id__gt=after_id)
                 .values("municipality_id").annotate(n=Count("id")).order_by()}
        for muni in municipalities:
            size = max(10, min(20_000, sizes.get(muni.pk, 0) // 5))
            cursor.execute("INSERT INTO bench_pool_size VALUES (%s, %s)", [muni.pk, size])
            rows = []
            for n in range(size):
                street, number = f"Benchmarkstraat {muni.code[-2:]}", n + 1
                postcode = f"{7000 + int(muni.code[-2:])}AB"
                value = f"pc:{postcode}:{number}"
                rows.append((muni.pk, n, encrypt(value), blind_index("link", value), encrypt(f"{street} {number}")))
            cursor.executemany("INSERT INTO bench_pool VALUES (%s, %s, %s, %s, %s)", rows)

        # The templates hang on a signal that gets no route (a route is one to one with its signal).
        first = (Signal.objects.filter(id__gt=after_id).exclude(status__in=["in_route", "forwarded"])
                 .exclude(outcome="trafficking_routed").order_by("id").first())
        if first is None:
            return
        link = SignalLink.objects.create(signal=first, municipality_id=first.municipality_id, kind="address",
                                         value="pc:0000AA:1", label="sjabloon", origin="signal",
                                         received_at=first.received_at)
        # Skewed: a few addresses get many signals (power 3), most get one or two.
        cursor.execute(clone_sql(SignalLink, link.pk, {
            "signal_id": "s.id", "municipality_id": "s.municipality_id", "value": "s.value", "key": "s.key",
            "label": "s.label", "received_at": "s.received_at"},
            f"""SELECT x.id, x.municipality_id, x.received_at, p.value, p.key, p.label FROM intake_signal x
                JOIN bench_pool_size z ON z.muni = x.municipality_id
                JOIN bench_pool p ON p.muni = x.municipality_id
                     AND p.n = least(z.size - 1, floor(z.size * power(hashtext(x.reference)::float8 / 4294967296
                                                                      + 0.5, 3))::int)
                WHERE x.id > {int(after_id)} AND abs(hashtext(x.reference || 'l')) % 10 < 6"""
            ))
        link.delete()

        route = SignalRoute.objects.create(signal=first, municipality_id=first.municipality_id,
                                           name="Meldroute Brakwaterland (benchmark)", version=1)
        step = SignalRouteStep.objects.create(signal_route=route, key="sjabloon", position=1, title="Sjabloon",
                                              actor="af", action="assess")
        routed = (f"SELECT id, municipality_id, received_at, closed_at, status FROM intake_signal "
                  f"WHERE id > {int(after_id)} "
                  "AND (status IN ('in_route', 'forwarded') OR outcome = 'trafficking_routed')")
        cursor.execute(clone_sql(SignalRoute, route.pk, {
            "uuid": "gen_random_uuid()", "signal_id": "s.id", "municipality_id": "s.municipality_id",
            "created_at": "s.received_at", "updated_at": "s.received_at", "finished_at": "s.closed_at"}, routed))
        titles = ["'Beoordelen door de AF'", "'Bespreken in het casusoverleg'", "'Terugkoppeling door de partner'"]
        for position, title in enumerate(titles, 1):
            cursor.execute(clone_sql(SignalRouteStep, step.pk, {
                "uuid": "gen_random_uuid()", "signal_route_id": "s.route_id", "key": f"'stap-{position}'",
                "position": str(position), "title": title, "created_at": "s.received_at", "updated_at": "s.received_at",
                "state": f"""CASE WHEN s.closed_at IS NOT NULL OR {position} = 1 THEN 'done'
                                  WHEN {position} = 2 THEN 'active' ELSE 'pending' END""",
                "activated_at": f"CASE WHEN {position} <= 2 OR s.closed_at IS NOT NULL THEN s.received_at END",
                "due_at": f"s.received_at + interval '{position * 5} days'",
                "completed_at": f"""CASE WHEN s.closed_at IS NOT NULL THEN s.closed_at
                                         WHEN {position} = 1 THEN s.received_at + interval '1 day' END""",
            }, f"""SELECT r.id AS route_id, x.received_at, x.closed_at FROM routing_signalroute r
                   JOIN intake_signal x ON x.id = r.signal_id WHERE x.id > {int(after_id)} AND r.id <> {route.pk}"""))
        step.delete()
        route.delete()


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        # What autovacuum would have done on a live database: statistics, and a visibility map that lets
        # index-only scans skip the heap. (A database-wide VACUUM right after the load leaves the map empty.)
        for table in ("intake_signal", "triage_signallink", "routing_signalroute", "routing_signalroutestep"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        cursor.execute("ANALYZE")


def load_region(signals: int):
    """The seeded region of a kept cluster (--keep), or None if this database has none yet."""
    from meldroute.accounts.constants import Role
    from meldroute.accounts.models import User
    from meldroute.intake.models import Signal
    from meldroute.organisations.models import Organisation, Region

    region = Region.objects.filter(slug=REGION[1]).first()
    if region is None:
        return None
    have = Signal.objects.count()
    if have != signals:
        raise SystemExit(f"the kept database holds {have} signals, not {signals}: use another --keep directory")
    municipalities = list(Organisation.objects.filter(region=region, kind="municipality").order_by("code"))
    afs, melders = {}, {}
    for muni in municipalities:
        users = User.objects.filter(organisation=muni).order_by("username")
        afs[muni.pk] = list(users.with_role(Role.AF))
        melders[muni.pk] = list(users.with_role(Role.MELDER))
    return municipalities, afs, melders


def remove_after(last_id: int) -> None:
    """Remove the signals with id > last_id and what was seeded with them."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = on")
        cursor.execute("DELETE FROM routing_signalroutestep WHERE signal_route_id IN "
                       "(SELECT id FROM routing_signalroute WHERE signal_id > %s)", [last_id])
        cursor.execute("DELETE FROM routing_signalroute WHERE signal_id > %s", [last_id])
        cursor.execute("DELETE FROM triage_signallink WHERE signal_id > %s", [last_id])
        cursor.execute("DELETE FROM intake_signal WHERE id > %s", [last_id])


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


ATTENTION_SQL = ("(s.status IN ('received', 'forwarded', 'in_route', 'info_requested', 'in_triage', 'reopened') "
                 "OR (s.feedback_due_at IS NOT NULL AND s.feedback_sent_at IS NULL))")


def hand_sql() -> dict[str, str]:
    """The inbox page's data as one would write it by hand: the same rows, counts and alert, no ORM, no scoping
    rule on top of the municipality filter, no session or template. The baseline of `ratio`."""
    return {
        "page count": f"SELECT count(*) FROM intake_signal s WHERE s.municipality_id = %(muni)s AND {ATTENTION_SQL}",
        "page rows": f"""
            SELECT s.id, s.uuid, s.reference, s.channel, s.reporter_team, s.is_acute, s.status, s.received_at,
                   s.deadline_at, s.feedback_due_at, s.feedback_sent_at, s.classified_forms, u.first_name,
                   u.last_name, u.username, u.is_active, u.absent_until, step.title, step.due_at, ticked.texts
            FROM (SELECT * FROM intake_signal s WHERE s.municipality_id = %(muni)s AND {ATTENTION_SQL}
                  ORDER BY s.is_acute DESC, s.received_at, s.id LIMIT 25) s
            LEFT JOIN accounts_user u ON u.id = s.assigned_to_id
            LEFT JOIN LATERAL (SELECT st.title, st.due_at FROM routing_signalroutestep st
                               JOIN routing_signalroute r ON r.id = st.signal_route_id
                               WHERE r.signal_id = s.id AND st.state = 'active'
                               ORDER BY st.due_at, st.position, st.id LIMIT 1) step ON true
            LEFT JOIN LATERAL (SELECT array_agg(i.text ORDER BY i.position, i.id) AS texts
                               FROM intake_signal_indicators si JOIN intake_indicator i ON i.id = si.indicator_id
                               WHERE si.signal_id = s.id) ticked ON true
            ORDER BY s.is_acute DESC, s.received_at, s.id""",
        "tab counts": f"""
            SELECT count(*), count(*) FILTER (WHERE s.assigned_to_id = %(user)s),
                   count(*) FILTER (WHERE s.assigned_to_id IS NULL), count(*) FILTER (WHERE s.is_acute),
                   count(*) FILTER (WHERE s.feedback_sent_at IS NULL AND s.feedback_due_at < %(now)s)
            FROM intake_signal s WHERE s.municipality_id = %(muni)s AND {ATTENTION_SQL}""",
        "overdue steps": """
            SELECT count(DISTINCT r.signal_id) FROM routing_signalroutestep st
            JOIN routing_signalroute r ON r.id = st.signal_route_id
            WHERE st.state = 'active' AND st.due_at < %(now)s AND r.municipality_id = %(muni)s
              AND r.finished_at IS NULL""",
        "acute banner": """
            SELECT s.id, s.uuid, s.reference, s.received_at FROM intake_signal s
            WHERE s.municipality_id = %(muni)s AND s.is_acute AND s.status = 'received'
            ORDER BY s.received_at LIMIT 10""",
        "pattern alert": """
            SELECT l.kind, l.key, count(DISTINCT l.signal_id), max(l.label), max(l.value), max(l.received_at)
            FROM triage_signallink l JOIN intake_signal s ON s.id = l.signal_id
            WHERE l.municipality_id = %(muni)s AND l.kind IN ('address', 'business') AND l.received_at >= %(since)s
              AND s.status <> 'cancelled'
            GROUP BY 1, 2 HAVING count(DISTINCT l.signal_id) >= 3 ORDER BY 3 DESC, 6 DESC, 2 LIMIT 10""",
    }


def hand_written_median(municipality_id: int, user_id: int, requests: int, warmup: int) -> float:
    from django.db import connection
    from django.utils import timezone

    from meldroute.triage.selectors import months_before

    statements = list(hand_sql().values())
    samples = []
    for n in range(warmup + requests):
        now = timezone.now()
        params = {"muni": municipality_id, "user": user_id, "now": now, "since": months_before(now, 12)}
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
        if n >= warmup:
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def profile_page(client, url: str, top: int = 45) -> None:
    """cProfile of one request (after the timed ones, so caches are warm): where the Python time goes."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top // 2)
    log(f"\ncProfile of one {url} request (cumulative, top {top}):")
    log(out.getvalue())


def explain(queries, tables: tuple[str, ...] = ("intake_signal",)) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of each captured SELECT that reads one of `tables`."""
    from django.db import connection

    for query in queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT") or not any(f'"{table}"' in sql for table in tables):
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
    history = history_for(args.signals, args.growth)
    started = time.perf_counter()
    from meldroute.intake.models import Signal
    from meldroute.intake.selectors import inbox_for

    reused = load_region(args.signals)
    if reused is not None:
        municipalities, afs, melders = reused
        log(f"reusing the {args.signals} seeded signals in {args.keep}")
    else:
        municipalities, afs, melders = seed_region()
        seed_signals(0, args.signals, rng, municipalities, afs, melders, history)
        seed_links_and_routes(0, municipalities)
    seeded = time.perf_counter() - started
    started = time.perf_counter()
    analyze()
    log(f"seed: {args.signals} signals, {len(MUNICIPALITIES)} municipalities in {seeded:.1f} s "
        f"({args.signals / max(seeded, 1e-9):.0f}/s); VACUUM + ANALYZE {time.perf_counter() - started:.1f} s")

    largest = municipalities[0]
    af, melder = afs[largest.pk][0], melders[largest.pk][0]
    in_muni = Signal.objects.filter(municipality=largest).count()
    attention = inbox_for(af, "attention").count()
    overdue = inbox_for(af, "feedback_overdue").count()
    from meldroute.routing.selectors import overdue_step_count
    from meldroute.triage.selectors import pattern_alerts_for

    log(f"benchmark AF: {af.username} ({in_muni} signals in {largest.name}, {attention} need attention, "
        f"{overdue} feedback overdue, {overdue_step_count(af)} with a route step overdue, "
        f"{len(pattern_alerts_for(af).alerts)} pattern alerts); melder: {melder.username} "
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
    if args.profile:
        profile_page(af_client, "/inbox/")
    if args.explain:
        log("\nEXPLAIN ANALYZE of the inbox's queries on intake_signal (as the view ran them):")
        explain(inbox_queries)
        log("")

    # The query count must not depend on N: add 10% more signals and count again.
    sql_median = hand_written_median(largest.pk, af.pk, args.requests, args.warmup)
    log(f"hand SQL     median {sql_median:7.1f} ms  (the inbox's data: {len(hand_sql())} statements)")

    extra = max(1, args.signals // 10)
    last_id = Signal.objects.order_by("-id").values_list("id", flat=True).first() or 0
    seed_signals(args.signals, extra, rng, municipalities, afs, melders, history)
    seed_links_and_routes(last_id, municipalities)
    analyze()
    grown_median, _ = time_page(af_client, "/inbox/", args.requests, args.warmup, inbox_marker)
    grown_queries = capture(af_client, "/inbox/")
    grown_mine = capture(melder_client, "/meldingen/")
    constant = len(grown_queries) == len(inbox_queries) and len(grown_mine) == len(mine_queries)
    log(f"/inbox/ at {args.signals + extra} signals: median {grown_median:.1f} ms, queries {len(grown_queries)} "
        f"(at {args.signals}: {len(inbox_queries)}); /meldingen/ queries {len(grown_mine)} "
        f"(at {args.signals}: {len(mine_queries)}) -> query count {'constant' if constant else 'GROWS WITH N'}")

    if args.keep:  # back to exactly N signals, so the next run can reuse the data set
        remove_after(last_id)
        analyze()

    from django.db import connections

    connections.close_all()
    return {"inbox_median_ms": inbox_median, "inbox_queries": len(inbox_queries), "mine_median_ms": mine_median,
            "sql_median_ms": sql_median, "signals": args.signals, "constant": constant}


def run_on_postgres(args, run) -> dict | None:
    """Run `run(args, database_url, data_dir)` on --database-url or a throwaway PostgreSQL that is removed
    afterwards whatever happens; None when a command it ran failed (reported on stderr)."""
    wall = time.perf_counter()
    postgres = None
    keep = getattr(args, "keep", None)
    if keep:  # the keys the kept data set was encrypted with live next to it
        data_dir = os.path.join(os.path.abspath(keep), "meldroute-data")
        os.makedirs(data_dir, exist_ok=True)
    else:
        data_dir = tempfile.mkdtemp(prefix="meldroute-bench-data.")
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_exit)
    try:
        database_url = args.database_url
        if not database_url:
            postgres = ThrowawayPostgres(args.port, find_pg_bin(args.pg_bin), keep)
            database_url = postgres.start()
            log(f"throwaway PostgreSQL on 127.0.0.1:{args.port} in {postgres.root}")
        results = run(args, database_url, data_dir)
    except subprocess.CalledProcessError as error:
        sys.stderr.write(f"{' '.join(error.cmd)} failed:\n{(error.stderr or b'').decode(errors='replace')}\n")
        return None
    finally:
        if postgres is not None:
            postgres.stop()
        if not keep:
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
    parser.add_argument("--keep", metavar="DIR",
                        help="keep the PostgreSQL cluster in DIR, reuse its data set next time (same --signals)")
    parser.add_argument("--growth", choices=["history", "rate"], default="history",
                        help="beyond 100 000 signals: a longer past at the same pace (history, default) or more "
                             "signals in the same 3 years (rate)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one inbox request")
    parser.add_argument("--show-queries", action="store_true", help="list every query of one inbox request")
    args = parser.parse_args()
    if args.signals < 1 or args.requests < 1:
        parser.error("--signals and --requests must be at least 1")

    results = run_on_postgres(args, run)
    if results is None:
        return 1
    ratio = results["inbox_median_ms"] / max(results["sql_median_ms"], 1e-9)
    log(f"inbox_median_ms={results['inbox_median_ms']:.1f} inbox_queries={results['inbox_queries']} "
        f"mine_median_ms={results['mine_median_ms']:.1f} sql_median_ms={results['sql_median_ms']:.1f} "
        f"ratio={ratio:.2f} signals={results['signals']}")
    return 0 if results["constant"] else 1


if __name__ == "__main__":
    sys.exit(main())
