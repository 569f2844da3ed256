#!/usr/bin/env python
"""Benchmark: bounded mixed load on two gunicorn instances and PostgreSQL, with a fault drill; nothing may be lost.

Starts (or reuses, --keep) a PostgreSQL on loopback with N seeded signals (the generator of inbox.py), two gunicorn
instances of the production configuration (conf/gunicorn.py) and the background worker, then runs a fixed number of
requests from concurrent virtual users: AFs reading the inbox and signals, melders filing signals with an attachment,
a partner system posting through the API (retrying with the same reference), procesregisseurs deciding agenda items.
During the load the drill kills one app instance (kill -9), then the worker (kill -9), then restarts PostgreSQL (fast
stop); a small supervisor starts what died again, as systemd would. Afterwards it checks that every acknowledged
signal exists exactly once, that every reminder that fell due was sent exactly once, and the audit chain.
See benchmarks/README.md.

The last line of output is always:
    acknowledged=<n> found=<n> duplicates=<n> lost=<n> reminders_due=<n> reminders_once=<n> audit_chain=<ok|broken>
    requests=<n> errors=<n> errors_outside_faults=<n> page_p95_ms=<n> signals=<n> think_s=<n>
(one line).
"""

import argparse
import http.client
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # reuse the PostgreSQL helpers and generator of inbox.py

from inbox import (  # noqa: E402
    REGION,
    REPO,
    ThrowawayPostgres,
    _raise_exit,
    analyze,
    find_pg_bin,
    log,
    seed_region,
    seed_signals,
    setup_django,
)

HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30.0
# The share of the request budget each kind of user takes (by number of user *iterations*, each a few requests).
MIX = {"af": 8, "melder": 4, "partner": 3, "chair": 1}
# Pages (HTML for a person) are judged against the p95 target; the API and the redirects after a POST are listed too.
PAGE_TARGET_MS = 300.0
PARTNER_RETRIES = 40  # the partner system retries a failed submission this often, 0.5 s apart, with the same reference
RUN_REF = "ML"  # the per-run reminder signals' references: ML-<run>-<n>


# --------------------------------------------------------------------------- PostgreSQL that may be kept


class BenchPostgres(ThrowawayPostgres):
    """ThrowawayPostgres in a folder of our choice: --keep reuses a seeded cluster between runs (1M signals take a
    while to generate); without --keep the folder is a temp dir, removed on stop. Adds the fast restart of the drill."""

    def __init__(self, port: int, pg_bin: str, root: str | None):
        super().__init__(port, pg_bin)
        self.keep = root is not None
        self.wanted_root = root

    @property
    def data(self) -> str:
        assert self.root is not None
        return os.path.join(self.root, "data")

    def _options(self) -> str:
        assert self.root is not None
        return (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")

    def _ctl(self, *args: str) -> None:
        self._run("pg_ctl", "-D", self.data, "-l", os.path.join(self.root or "", "server.log"), "-w", "-t", "60",
                  *args)

    def start(self) -> str:
        with socket.socket() as probe:
            if probe.connect_ex((HOST, self.port)) == 0:
                raise SystemExit(f"port {self.port} is already in use; pick another with --port")
        if not self.keep:
            return super().start()
        self.root = self.wanted_root
        assert self.root is not None
        fresh = not os.path.exists(os.path.join(self.data, "PG_VERSION"))
        os.makedirs(self.root, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        if fresh:
            self._run("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")
        self._ctl("-o", self._options(), "start")
        self.started = True
        if fresh:
            self._run("createdb", "-h", HOST, "-p", str(self.port), "-U", "postgres", "bench")
        return f"postgres://postgres@{HOST}:{self.port}/bench"

    def restart_fast(self) -> None:
        """The drill: stop with -m fast (open connections are cut, in-flight transactions roll back), start again."""
        self._ctl("-m", "fast", "stop")
        self._ctl("-o", self._options(), "start")

    def stop(self) -> None:
        if not self.keep:
            super().stop()
            return
        if self.started:
            try:
                self._ctl("-m", "fast", "stop")
            except (subprocess.CalledProcessError, OSError):
                pass
            self.started = False
        self.root = None


# --------------------------------------------------------------------------- data


def tiny_png() -> bytes:
    """A valid 1×1 PNG: the attachment a melder adds (the form checks the bytes, not the name)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = zlib.compress(b"\x00\xff\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def seed_once(args, marker: Path) -> None:
    """Migrate; seed the region and N signals unless the kept cluster already holds them."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"migrate: {time.perf_counter() - started:.1f} s")
    if marker.exists() and json.loads(marker.read_text()).get("signals") == args.signals:
        log(f"reusing the seeded cluster in {marker.parent} ({args.signals} signals)")
        return
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM intake_signal")
        if cursor.fetchone()[0]:
            raise SystemExit(f"{marker.parent} holds another data set; remove the folder or pass another --keep")
    started = time.perf_counter()
    rng = random.Random(args.seed)
    municipalities, afs, melders = seed_region()
    generated = min(args.signals, args.generate)
    seed_signals(0, generated, rng, municipalities, afs, melders)
    log(f"  generated {generated} signals ({time.perf_counter() - started:.0f} s)")
    if args.signals > generated:
        clone_history(args.signals)
        log(f"  copied history up to {args.signals} signals ({time.perf_counter() - started:.0f} s)")
    from meldroute.intake.constants import ACTIVE_STATUSES
    from meldroute.intake.models import Signal

    # More signals is more history, not more work in hand: beyond --open-work, the oldest active signals were
    # closed long ago (the generator keeps ~13 % active whatever N; a million would mean 130 000 open signals).
    with connection.cursor() as cursor:
        cursor.execute("""
            UPDATE intake_signal SET status = 'closed', outcome = 'no_trafficking', closed_at = received_at + interval
                '10 days', feedback_due_at = received_at + interval '24 days', feedback_sent_at = received_at
                + interval '12 days', deadline_at = NULL
            WHERE id IN (SELECT id FROM intake_signal WHERE status = ANY(%s) ORDER BY received_at DESC OFFSET %s)
        """, [sorted(ACTIVE_STATUSES), args.open_work])
        log(f"  closed {cursor.rowcount} older active signals (open work kept at {args.open_work})")

    # The generator leaves ~2.5 % closed with feedback owed, mostly long overdue: on a live system their reminders
    # went out when they fell due. Mark them so, or the worker's first round would send tens of thousands at once.
    Signal.objects.filter(feedback_sent_at__isnull=True, feedback_due_at__isnull=False).update(
        feedback_reminder_sent_at=models_now())
    analyze()
    log(f"seed: {args.signals} signals in {time.perf_counter() - started:.1f} s")
    marker.write_text(json.dumps({"signals": args.signals}))


def clone_history(target: int, prefix: str = "MH") -> None:
    """Grow the generated signals to `target` in SQL: copies of the closed and withdrawn ones (every column as the
    ORM wrote it, the texts still encrypted), each moved back by its own 1–730 days. inbox.py's generator builds
    and encrypts each row in Python (a million would take ~50 min on the shared 2 cores); this takes about a minute.
    Open work stays what was generated: only history grows. `prefix` starts the copies' references (two letters:
    another one for copies made on top of a seeded set, whose MH- references are taken)."""
    from django.db import connection, models

    from meldroute.intake.models import Signal

    columns = [f.column for f in Signal._meta.concrete_fields if f.column != "id"]
    moved = {f.column for f in Signal._meta.concrete_fields if isinstance(f, models.DateTimeField)}
    values = []
    for column in columns:
        if column == "uuid":
            values.append("gen_random_uuid()")
        elif column == "reference":  # MH- and 9 digits: unique, and within the 16 characters of the column
            values.append(f"'{prefix}-' || lpad((%(offset)s + row_number() OVER ())::text, 9, '0')")
        elif column in moved:
            values.append(f't."{column}" - t.shift')
        else:
            values.append(f't."{column}"')
    names = ", ".join(f'"{c}"' for c in columns)
    sql = (f'INSERT INTO intake_signal ({names}) SELECT {", ".join(values)} FROM ('
           "SELECT s.*, interval '1 day' + random() * interval '729 days' AS shift FROM intake_signal s "
           "WHERE s.status IN ('closed', 'cancelled') AND s.feedback_reminder_sent_at IS NULL "
           "AND (s.feedback_due_at IS NULL OR s.feedback_sent_at IS NOT NULL) AND s.id <= %(last)s "
           "ORDER BY s.id LIMIT %(n)s) t")
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id), count(*) FROM intake_signal")
        last, count = cursor.fetchone()
        offset = 0
        while count < target:
            cursor.execute(sql, {"offset": offset, "last": last, "n": min(target - count, 200_000)})
            if cursor.rowcount <= 0:
                raise SystemExit("no closed signals to copy history from")
            count += cursor.rowcount
            offset += cursor.rowcount


def models_now():
    from django.utils import timezone

    return timezone.now()


def session_for(user) -> str:
    """A signed-in session, as the login page would leave it (as inbox.py's force_login; no password hashing)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def prepare_run(args, run_id: str, window_seconds: float) -> dict:
    """Everything this run's users need, created fresh each run (a kept cluster is used many times)."""
    from django.db.models import Max
    from django.utils import timezone

    from meldroute.accounts.constants import Role
    from meldroute.accounts.models import RoleAssignment, User
    from meldroute.accounts.services import create_api_token
    from meldroute.intake.constants import ACTIVE_STATUSES
    from meldroute.intake.models import Signal
    from meldroute.meetings import services as meeting_services
    from meldroute.meetings.constants import Cadence, Weekday
    from meldroute.meetings.models import AgendaItem, MeetingSeries
    from meldroute.organisations.models import Organisation, Region
    from meldroute.retention.models import RetentionRun
    from meldroute.routing.constants import MeetingKind

    rng = random.Random(f"{args.seed}-{run_id}")
    now = models_now()
    region = Region.objects.get(slug=REGION[1])
    municipalities = list(Organisation.objects.filter(region=region, kind="municipality").order_by("code"))
    # Retention runs nightly; on seeded data its first round would clear years of signals in the middle of the load.
    for day in (now, now + timedelta(days=1)):
        RetentionRun.objects.get_or_create(day=timezone.localdate(day), defaults={"started_at": now, "counts": {}})

    def user(username: str, organisation, role: str, **extra) -> User:
        person, created = User.objects.get_or_create(
            username=username, defaults={"first_name": "Load", "last_name": username.split(".")[-1],
                                         "organisation": organisation, **extra})
        if created:
            person.set_unusable_password()
            person.save(update_fields=["password"])
            RoleAssignment.objects.create(user=person, role=role)
        return person

    # AFs and melders of the five largest municipalities (the seed's users), each AF with active signals to open.
    busiest = municipalities[:5]
    afs, melders = [], []
    for muni in busiest:
        slug = muni.code.lower()
        for af in User.objects.filter(username__startswith="bench.af", organisation=muni).order_by("username"):
            targets = list(Signal.objects.filter(municipality=muni, status__in=ACTIVE_STATUSES)
                           .order_by("-received_at").values_list("uuid", flat=True)[:40])
            afs.append({"session": session_for(af), "signals": [str(u) for u in targets]})
        for melder in User.objects.filter(username__startswith="bench.melder", organisation=muni,
                                          username__endswith=slug).order_by("username")[:6]:
            melders.append({"session": session_for(melder)})

    # The partner system: a police unit of the region with an API token (a service account posts).
    police, _ = Organisation.objects.get_or_create(
        code="POL-BENCH", defaults={"name": "Politie Brakwaterland (benchmark)", "kind": "police", "region": region})
    _token, secret = create_api_token(police, actor=None, name=f"load {run_id}", valid_days=1,
                                      reason="Belastingtest (benchmarks/load.py)")
    service = User.objects.get(username=f"systeem.{police.code.lower()}")
    if not service.has_role(Role.PARTNER):
        RoleAssignment.objects.create(user=service, role=Role.PARTNER)

    # The screeningsoverleg, chaired by the ZVH's procesregisseurs; this run's meeting gets fresh agenda items.
    zvh, _ = Organisation.objects.get_or_create(
        code="ZVH-BENCH", defaults={"name": "ZVH Brakwaterland (benchmark)", "kind": "zvh", "region": region})
    chairs = [user(f"load.procesregisseur{n}", zvh, Role.PROCESREGISSEUR) for n in (1, 2)]
    series = MeetingSeries.objects.filter(region=region, kind=MeetingKind.SCREENING).first()
    if series is None:
        series = MeetingSeries.objects.create(
            region=region, kind=MeetingKind.SCREENING, name="Screeningsoverleg Brakwaterland (benchmark)",
            cadence=Cadence.WEEKLY, weekday=Weekday.TUESDAY, chair_organisation=zvh, shared_categories=[])
        series.participants.set([zvh, police, *municipalities])
    meeting = meeting_services.next_meeting(series, actor=chairs[0])
    if meeting.items.exists():  # a kept cluster: each run's page holds this run's items only, not every earlier run's
        meeting_services.cancel_meeting(meeting, actor=chairs[0])
        meeting = meeting_services.next_meeting(series, actor=chairs[0])
    chair_share = MIX["chair"] / sum(MIX.values())
    wanted = max(5, math.ceil(args.requests * chair_share / 2) + 5)
    position = meeting.items.aggregate(last=Max("position"))["last"] or 0
    on_agenda = set(AgendaItem.objects.filter(meeting=meeting).values_list("signal_id", flat=True))
    candidates = (Signal.objects.filter(municipality__in=busiest, status="in_route").exclude(pk__in=on_agenda)
                  .order_by("-received_at")[:wanted])
    items = []
    for signal_row in candidates:
        position += 1
        items.append(AgendaItem.objects.create(meeting=meeting, signal=signal_row, position=position))
    log(f"meeting {meeting.date}: {len(items)} new agenda items")

    # Reminders that fall due during the load: closed signals whose feedback deadline passes in the window.
    # Assigned to an AF with an address, so each reminder is a mail that can be counted in the outbox.
    reminded_af = user("load.af.reminders", busiest[0], Role.AF, email="load.af@brakwaterland.example")
    melder_users = list(User.objects.filter(username__startswith="bench.melder", organisation=busiest[0])[:5])
    reminders = []
    for n in range(args.reminders):
        due = now + timedelta(seconds=5 + window_seconds * 0.8 * n / max(args.reminders, 1))
        reporter = rng.choice(melder_users)
        reminders.append(Signal(
            reference=f"{RUN_REF}-{run_id}-{n:04d}", municipality=busiest[0], channel="internal", reporter=reporter,
            source_organisation=busiest[0], reporter_team=reporter.team, is_acute=False, status="closed",
            outcome="no_trafficking", description="Fictief loadsignaal met terugkoppeling die nog openstaat.",
            received_at=now - timedelta(days=20), closed_at=now - timedelta(days=10), assigned_to=reminded_af,
            feedback_due_at=due, deadline_at=due))
    Signal.objects.bulk_create(reminders)
    return {
        "afs": afs, "melders": melders, "partner_token": secret,
        "municipality_codes": [m.code for m in busiest],
        "chairs": [session_for(c) for c in chairs],
        "meeting": str(meeting.uuid),
        "items": [{"uuid": str(i.uuid), "position": i.position} for i in items],
        "started_at": now.isoformat(),
    }


# --------------------------------------------------------------------------- processes


class Process:
    """A supervised child: started in its own process group, so kill -9 takes the whole instance (master and
    workers), as a crashed container or VM would."""

    def __init__(self, name: str, command: list[str], env: dict, log_path: Path, ready_url: str | None = None):
        self.name, self.command, self.env, self.log_path, self.ready_url = name, command, env, log_path, ready_url
        self.popen: subprocess.Popen | None = None
        self.restarts = 0

    def start(self) -> None:
        handle = open(self.log_path, "ab")  # noqa: SIM115 — owned by the child for its life
        self.popen = subprocess.Popen(self.command, env=self.env, stdout=handle, stderr=subprocess.STDOUT,
                                      cwd=str(REPO), start_new_session=True)
        handle.close()

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill9(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.popen.wait()

    def stop(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, signal.SIGTERM)
                self.popen.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                self.kill9()

    def wait_ready(self, timeout: float = 60.0) -> None:
        if self.ready_url is None:
            return
        deadline = time.monotonic() + timeout
        port = int(self.ready_url.split(":")[1].split("/")[0])
        path = "/" + self.ready_url.split("/", 1)[1]
        while time.monotonic() < deadline:
            if not self.alive():
                raise SystemExit(f"{self.name} exited at start; see {self.log_path}")
            try:
                connection = http.client.HTTPConnection(HOST, port, timeout=5)
                connection.request("GET", path)
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"{self.name} not ready after {timeout:.0f} s; see {self.log_path}")


# --------------------------------------------------------------------------- the load


@dataclass
class Sample:
    endpoint: str
    ms: float
    ok: bool
    status: int
    fault: bool  # sent while a fault of the drill was in progress


@dataclass
class Ledger:
    """What the users were told: every acknowledged signal, and every attempt (to find duplicates)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    acknowledged: dict[str, str] = field(default_factory=dict)  # token -> signal uuid
    attempted: set[str] = field(default_factory=set)
    decided: int = 0
    partner_replays: int = 0


class Load:
    def __init__(self, plan: dict, ports: list[int], budget: int, users: int, seed: int, think: float = 0.0):
        self.plan, self.ports, self.budget, self.users = plan, ports, budget, users
        self.think = think  # mean seconds a person waits between two requests (exponential; 0: none)
        self.samples: list[Sample] = []
        self.lock = threading.Lock()
        self.sent = 0
        self.ledger = Ledger()
        self.faulting = threading.Event()
        self.failovers = 0
        self.rng = random.Random(seed)
        self.items = list(plan["items"])
        self.png = tiny_png()
        self.next_port = 0
        self.run_token = uuid.uuid4().hex[:8]

    # -- the transport: round robin over the instances, like the load balancer in front of them
    def _take(self) -> bool:
        with self.lock:
            if self.sent >= self.budget:
                return False
            self.sent += 1
            return True

    def request(self, name: str, method: str, path: str, *, cookies: dict | None = None, body: bytes | None = None,
                headers: dict | None = None, expect: tuple[int, ...] = (200,), count: bool = True):
        """One request; returns (status, headers, body) or None after a transport error. A refused connection (an
        instance that is down) is retried on the other one, as a health-checked load balancer does: nothing was
        sent, so even a POST is safe to retry there."""
        with self.lock:
            port_index = self.next_port
            self.next_port += 1
        headers = dict(headers or {})
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        fault = self.faulting.is_set()
        started = time.perf_counter()
        result = None
        status = 0
        for attempt in range(len(self.ports)):
            port = self.ports[(port_index + attempt) % len(self.ports)]
            connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                status = response.status
                result = (status, response.getheaders(), data)
                break
            except ConnectionRefusedError:
                with self.lock:
                    self.failovers += 1
                continue
            except (OSError, http.client.HTTPException):
                break
            finally:
                connection.close()
        ms = (time.perf_counter() - started) * 1000
        ok = result is not None and status in expect
        with self.lock:
            self.samples.append(Sample(name, ms, ok, status, fault or self.faulting.is_set()))
        return result

    def pause(self, rng: random.Random) -> None:
        """A person reads the page before the next click: an exponential wait with mean --think (as locust's
        wait_time, but memoryless: the requests of many users then arrive as a Poisson stream)."""
        if self.think > 0:
            time.sleep(min(rng.expovariate(1 / self.think), 10 * self.think))

    # -- the users
    def af(self, who: dict, rng: random.Random) -> None:
        cookies = {"sessionid": who["session"]}
        self.request("GET /inbox/", "GET", "/inbox/", cookies=cookies)
        if who["signals"] and self._take():
            self.pause(rng)
            self.request("GET /inbox/<signaal>/", "GET", f"/inbox/{rng.choice(who['signals'])}/", cookies=cookies)

    def melder(self, who: dict, rng: random.Random) -> None:
        cookies = {"sessionid": who["session"]}
        result = self.request("GET /melden/", "GET", "/melden/", cookies=cookies)
        if result is None or result[0] != 200 or not self._take():
            return
        self.pause(rng)  # filling in the form
        cookies.update(set_cookies(result[1]))
        token_match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', result[2])
        if not token_match or "csrftoken" not in cookies:
            return
        token = f"{self.run_token}-m-{uuid.uuid4().hex[:12]}"
        with self.ledger.lock:
            self.ledger.attempted.add(token)
        fields = {
            "csrfmiddlewaretoken": token_match.group(1).decode(),
            "description": f"Fictief loadsignaal {token}: veel wisselende bewoners, ramen afgeplakt.",
            "is_acute": "yes" if rng.random() < 0.05 else "no",
            "reporter_team": "balie", "observed_time": "dinsdagavond",
        }
        body, content_type = multipart(fields, ("attachments", "foto.png", "image/png", self.png))
        result = self.request("POST /melden/", "POST", "/melden/", cookies=cookies, body=body,
                              headers={"Content-Type": content_type}, expect=(302,))
        if result is None or result[0] != 302:
            return  # no receipt: the melder saw an error page and was not told the signal was received
        location = dict((k.lower(), v) for k, v in result[1]).get("location", "")
        found = re.search(r"/meldingen/([0-9a-f-]{36})/ontvangen/", location)
        if not found:
            return
        # The browser follows the redirect whatever the budget: the receipt is part of filing the signal.
        receipt = self.request("GET /meldingen/<signaal>/ontvangen/", "GET", found.group(0), cookies=cookies)
        if receipt is not None and receipt[0] == 200:
            with self.ledger.lock:
                self.ledger.acknowledged[token] = found.group(1)

    def partner(self, rng: random.Random) -> None:
        token = f"{self.run_token}-p-{uuid.uuid4().hex[:12]}"
        with self.ledger.lock:
            self.ledger.attempted.add(token)
        body = json.dumps({
            "municipality": rng.choice(self.plan["municipality_codes"]), "is_acute": False,
            "description": f"Fictief loadsignaal {token}: uitbuiting in de schoonmaak vermoed.",
            "external_reference": token, "location_description": "Bedrijventerrein (fictief)",
        }).encode()
        headers = {"Authorization": f"Token {self.plan['partner_token']}", "Content-Type": "application/json"}
        for attempt in range(PARTNER_RETRIES):
            if attempt and not self._take():
                return  # the budget ran out before the retry: this one stays unacknowledged
            result = self.request("POST /api/v1/signals/", "POST", "/api/v1/signals/", body=body, headers=headers,
                                  expect=(201, 200))
            if result is not None and result[0] in (200, 201):
                with self.ledger.lock:
                    self.ledger.acknowledged[token] = json.loads(result[2])["id"]
                    self.ledger.partner_replays += result[0] == 200
                return
            if result is not None and result[0] < 500:
                return  # a refusal (4xx) is an answer, not a failure to retry
            time.sleep(0.5)

    def chair(self, session: str, rng: random.Random) -> None:
        cookies = {"sessionid": session}
        meeting = self.plan["meeting"]
        result = self.request("GET /overleggen/<overleg>/", "GET", f"/overleggen/{meeting}/", cookies=cookies)
        with self.lock:
            item = self.items.pop(0) if self.items else None
        if result is None or result[0] != 200 or item is None or not self._take():
            return
        self.pause(rng)  # the table discusses the item
        cookies.update(set_cookies(result[1]))
        token_match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', result[2])
        if not token_match:
            return
        prefix = f"punt{item['position']}"
        body = urlencode({"csrfmiddlewaretoken": token_match.group(1).decode(),
                          f"{prefix}-decision": "no_trafficking"})
        result = self.request("POST /overleggen/<overleg>/punten/<punt>/besluit/", "POST",
                              f"/overleggen/{meeting}/punten/{item['uuid']}/besluit/", cookies=cookies, body=body,
                              headers={"Content-Type": "application/x-www-form-urlencoded"}, expect=(302,))
        if result is not None and result[0] == 302:
            with self.ledger.lock:
                self.ledger.decided += 1

    def user_loop(self, index: int) -> None:
        rng = random.Random(f"{self.rng.random()}-{index}")
        kinds = list(MIX)
        weights = [MIX[k] for k in kinds]
        if self.think > 0:
            time.sleep(rng.uniform(0, self.think))  # users arrive over the first think time, not all at once
        kind = ""
        while self._take():
            if kind and kind != "partner":
                self.pause(rng)  # between two of a person's tasks (a partner system posts as it receives)
            kind = rng.choices(kinds, weights=weights)[0]
            if kind == "af":
                self.af(rng.choice(self.plan["afs"]), rng)
            elif kind == "melder":
                self.melder(rng.choice(self.plan["melders"]), rng)
            elif kind == "partner":
                self.partner(rng)
            else:
                self.chair(rng.choice(self.plan["chairs"]), rng)

    def warm_up(self, rounds: int, workers: int) -> None:
        """What a running server has done long before the measured minute: each worker has loaded every page once
        (imports, compiled templates, a database connection). Per round and instance, `workers` parallel GETs of each
        page; not measured and not counted in the budget."""
        pages = [(self.plan["afs"][0]["session"], "/inbox/"), (self.plan["melders"][0]["session"], "/melden/"),
                 (self.plan["chairs"][0], f"/overleggen/{self.plan['meeting']}/")]
        if self.plan["afs"][0]["signals"]:
            pages.append((self.plan["afs"][0]["session"], f"/inbox/{self.plan['afs'][0]['signals'][0]}/"))

        def get(port: int, session: str, path: str) -> None:
            connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
            try:
                connection.request("GET", path, headers={"Cookie": f"sessionid={session}"})
                connection.getresponse().read()
            except (OSError, http.client.HTTPException):
                pass
            finally:
                connection.close()

        for _ in range(rounds):
            for port in self.ports:
                for session, path in pages:
                    threads = [threading.Thread(target=get, args=(port, session, path)) for _ in range(workers)]
                    for thread in threads:
                        thread.start()
                    for thread in threads:
                        thread.join()

    def run(self) -> float:
        started = time.perf_counter()
        threads = [threading.Thread(target=self.user_loop, args=(n,), daemon=True) for n in range(self.users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started


def set_cookies(headers) -> dict:
    cookies = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            if "=" in pair:
                key, val = pair.split("=", 1)
                cookies[key.strip()] = val.strip().strip('"')
    return cookies


def urlencode(fields: dict) -> bytes:
    from urllib.parse import urlencode as encode

    return encode(fields).encode()


def multipart(fields: dict, upload: tuple[str, str, str, bytes]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    name, filename, content_type, data = upload
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                 f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# --------------------------------------------------------------------------- the fault drill


class Drill:
    """kill -9 an app instance, then the worker, then restart PostgreSQL (fast), each when the load has sent a given
    share of its requests; a supervisor restarts whatever died (as systemd's Restart=always would)."""

    def __init__(self, load: Load, apps: list[Process], worker: Process, postgres: BenchPostgres):
        self.load, self.apps, self.worker, self.postgres = load, apps, worker, postgres
        self.events: list[str] = []
        self.done = threading.Event()
        self.stopping = threading.Event()
        self.crash_restarts = 0

    def _wait_for_share(self, share: float) -> None:
        while self.load.sent < share * self.load.budget and not self.stopping.is_set():
            time.sleep(0.05)

    def _note(self, text: str) -> None:
        self.events.append(f"{time.strftime('%H:%M:%S')} {text}")
        log(f"  drill: {text}")

    def run(self) -> None:
        try:
            self._wait_for_share(0.2)
            self.load.faulting.set()
            self.apps[0].kill9()
            self._note(f"kill -9 {self.apps[0].name} (at {self.load.sent} requests)")
            time.sleep(2)
            self.apps[0].start()
            self.apps[0].wait_ready()
            self._note(f"{self.apps[0].name} back")
            self.load.faulting.clear()

            self._wait_for_share(0.4)
            self.worker.kill9()
            self._note(f"kill -9 worker (at {self.load.sent} requests)")
            time.sleep(1)
            self.worker.start()
            self._note("worker started again")

            self._wait_for_share(0.6)
            self.load.faulting.set()
            self._note(f"PostgreSQL fast restart (at {self.load.sent} requests)")
            self.postgres.restart_fast()
            self._note("PostgreSQL back")
            time.sleep(1)
            self.load.faulting.clear()
        finally:
            self.done.set()

    def supervise(self) -> None:
        """Restart a child that exited by itself (the worker loses its database connection in the restart)."""
        while not self.stopping.is_set():
            for child in (self.worker, *self.apps):
                if child.popen is not None and not child.alive() and child.popen.returncode not in (None, -9):
                    self._note(f"{child.name} exited ({child.popen.returncode}); supervisor starts it again")
                    self.crash_restarts += 1
                    child.start()
            time.sleep(0.5)


# --------------------------------------------------------------------------- verification


def verify(plan: dict, ledger: Ledger, outbox: Path) -> dict:
    from django.core.management import CommandError, call_command
    from django.db import connections

    from meldroute.audit.models import AuditEvent
    from meldroute.core.jobs import LEASE, run_due_jobs
    from meldroute.intake.models import Signal

    connections.close_all()  # ours were cut by the restart
    since = models_now() - timedelta(hours=6)
    found_by_token: dict[str, list[str]] = defaultdict(list)
    pattern = re.compile(r"Fictief loadsignaal ([0-9a-f]{8}-[mp]-[0-9a-f]{12})")
    for uuid_value, description in (Signal.objects.filter(received_at__gte=since)
                                    .values_list("uuid", "description").iterator()):
        match = pattern.search(description or "")
        if match and match.group(1) in ledger.attempted:
            found_by_token[match.group(1)].append(str(uuid_value))
    acknowledged = ledger.acknowledged
    found = sum(1 for token, signal_uuid in acknowledged.items() if signal_uuid in found_by_token.get(token, []))
    duplicates = sum(len(v) - 1 for v in found_by_token.values() if len(v) > 1)
    lost = len(acknowledged) - found
    stored_unacknowledged = sum(1 for t in found_by_token if t not in acknowledged)

    # Reminders: a worker killed in its round holds its job's lease for LEASE (ADR 0001); the next worker takes it
    # after that. Run that round now, with the clock past the lease, instead of waiting ten minutes.
    run_due_jobs(models_now() + LEASE + timedelta(seconds=30), worker="load-catch-up")
    due = list(Signal.objects.filter(reference__startswith=f"{RUN_REF}-{plan['run_id']}-")
               .values_list("uuid", "reference", "feedback_reminder_sent_at"))
    events = defaultdict(int)
    for target in AuditEvent.objects.filter(action="signal.feedback_reminder_sent",
                                            target_uuid__in=[u for u, _, _ in due]).values_list("target_uuid",
                                                                                                flat=True):
        events[target] += 1
    mails = defaultdict(int)
    for path in outbox.glob("*.log"):
        for message in path.read_text(errors="replace").split("-" * 79):
            for reference in set(re.findall(rf"{RUN_REF}-{plan['run_id']}-\d{{4}}", message)):
                mails[reference] += 1
    once = sum(1 for u, ref, sent in due if sent is not None and events[u] == 1 and mails[ref] == 1)
    problems = [f"{ref}: sent_at={'set' if sent else 'empty'} audit={events[u]} mails={mails[ref]}"
                for u, ref, sent in due if not (sent is not None and events[u] == 1 and mails[ref] == 1)]

    try:
        call_command("verify_audit_chain", stdout=open(os.devnull, "w"))  # noqa: SIM115
        chain = "ok"
    except CommandError:
        chain = "broken"
    return {"acknowledged": len(acknowledged), "found": found, "duplicates": duplicates, "lost": lost,
            "stored_unacknowledged": stored_unacknowledged, "reminders_due": len(due), "reminders_once": once,
            "reminder_problems": problems, "audit_chain": chain}


# --------------------------------------------------------------------------- report


def percentile(ranked: list[float], share: float) -> float:
    return ranked[max(0, math.ceil(share * len(ranked)) - 1)] if ranked else 0.0


def report(samples: list[Sample], wall: float) -> dict:
    by_endpoint: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_endpoint[sample.endpoint].append(sample)
    log(f"\n{'endpoint':52} {'n':>5} {'req/s':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'errors':>6} {'in fault':>8}")
    for endpoint in sorted(by_endpoint):
        rows = by_endpoint[endpoint]
        ranked = sorted(s.ms for s in rows)
        errors = [s for s in rows if not s.ok]
        log(f"{endpoint:52} {len(rows):5d} {len(rows) / wall:6.1f} {statistics.median(ranked):7.1f} "
            f"{percentile(ranked, 0.95):7.1f} {percentile(ranked, 0.99):7.1f} {len(errors):6d} "
            f"{sum(1 for s in errors if s.fault):8d}")
    pages = sorted(s.ms for s in samples if s.endpoint.startswith("GET ") and not s.fault)
    errors = [s for s in samples if not s.ok]
    statuses = defaultdict(int)
    for s in errors:
        statuses[s.status or "transport"] += 1
    log(f"{'all':52} {len(samples):5d} {len(samples) / wall:6.1f}   pages (GET, outside faults) p95 "
        f"{percentile(pages, 0.95):.1f} ms; errors {len(errors)} "
        f"({sum(1 for s in errors if s.fault)} during a fault; by status {dict(statuses)})")
    return {"requests": len(samples), "errors": len(errors), "errors_outside_faults":
            sum(1 for s in errors if not s.fault), "page_p95_ms": percentile(pages, 0.95)}


# --------------------------------------------------------------------------- main


def run(args, postgres: BenchPostgres, database_url: str, state_dir: Path) -> dict:
    app_dir = state_dir / "app"
    outbox = app_dir / "outbox"
    shutil.rmtree(outbox, ignore_errors=True)
    os.environ["MELDROUTE_EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
    os.environ["MELDROUTE_REQUIRE_2FA"] = "false"  # the bench environment only: sessions are made without TOTP
    os.environ["MELDROUTE_BASE_URL"] = f"http://{HOST}:{args.app_ports[0]}"
    setup_django(database_url, str(app_dir))
    seed_once(args, state_dir / "seeded.json")
    run_id = f"{int(time.time()) % 1_000_000:06d}"  # references hold 16 characters: ML-<run>-<n>
    window = max(10.0, args.requests / 60)  # rough: the reminders fall due while the load runs
    plan = prepare_run(args, run_id, window)
    plan["run_id"] = run_id
    from django.db import connections

    connections.close_all()

    env = dict(os.environ, MELDROUTE_GUNICORN_WORKERS=str(args.workers), MELDROUTE_GUNICORN_LOGLEVEL="warning",
               MELDROUTE_LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1")
    logs = state_dir / "logs"
    logs.mkdir(exist_ok=True)
    apps = []
    for n, port in enumerate(args.app_ports, 1):
        app_env = dict(env, MELDROUTE_GUNICORN_BIND=f"{HOST}:{port}",
                       MELDROUTE_GUNICORN_ACCESSLOG=str(logs / f"access-{port}.log"))
        apps.append(Process(f"app{n}:{port}", [sys.executable, "-m", "gunicorn", "-c", "python:meldroute.conf.gunicorn",
                                               "meldroute.wsgi"], app_env, logs / f"app-{port}.log",
                            ready_url=f"{HOST}:{port}/gezondheid/live/"))
    worker = Process("worker", [sys.executable, "-m", "django", "run_worker", "--interval", "1"], env,
                     logs / "worker.log")
    try:
        for child in (*apps, worker):
            child.start()
        for child in apps:
            child.wait_ready()
        log(f"{len(apps)} gunicorn instances ({args.workers} workers each) on {args.app_ports}, worker every 1 s; "
            f"load: {args.requests} requests from {args.users} users, think time {args.think:g} s (mean); fault drill "
            f"{'on' if args.faults else 'off'}")
        load = Load(plan, args.app_ports, args.requests, args.users, args.seed, args.think)
        drill = Drill(load, apps, worker, postgres)
        threads = [threading.Thread(target=drill.supervise, daemon=True)]
        if args.faults:
            threads.append(threading.Thread(target=drill.run, daemon=True))
        for thread in threads:
            thread.start()
        if args.warmup:
            load.warm_up(args.warmup, args.workers)
        wall = load.run()
        drill.stopping.set()
        if args.faults:
            drill.done.wait(120)
        stats = report(load.samples, wall)
        log(f"wall {wall:.1f} s; failovers to the other instance {load.failovers}; partner replays (200) "
            f"{load.ledger.partner_replays}; agenda items decided {load.ledger.decided}; "
            f"supervisor restarts after a crash {drill.crash_restarts}")
        # Give the worker a few rounds for reminders that fell due at the very end.
        time.sleep(3)
    finally:
        for child in (*apps, worker):
            child.stop()
    results = verify(plan, load.ledger, outbox)
    for problem in results["reminder_problems"][:20]:
        log(f"  reminder: {problem}")
    log(f"signals acknowledged {results['acknowledged']}, found {results['found']}, duplicates "
        f"{results['duplicates']}, lost {results['lost']}; stored without acknowledgement "
        f"{results['stored_unacknowledged']} (the answer was cut off: not lost, never promised); reminders due "
        f"{results['reminders_due']}, sent exactly once {results['reminders_once']}; "
        f"audit chain {results['audit_chain']}")
    return {**stats, **results, "signals": args.signals}


def run_on_bench_postgres(args, prefix: str, run) -> dict | None:
    """Run `run(args, postgres, database_url, state_dir)` on a BenchPostgres in --keep's folder (reused next time) or
    in a temp folder removed afterwards, whatever happens; None when a command it ran failed (reported on stderr).
    Shared by load.py and agenda.py."""
    state_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix=prefix))
    state_dir.mkdir(parents=True, exist_ok=True)
    postgres = BenchPostgres(args.port, find_pg_bin(args.pg_bin), str(state_dir / "pg") if args.keep else None)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_exit)
    try:
        database_url = postgres.start()
        results: dict = run(args, postgres, database_url, state_dir)
        return results
    except subprocess.CalledProcessError as error:
        sys.stderr.write(f"{' '.join(map(str, error.cmd))} failed:\n{(error.stderr or b'').decode(errors='replace')}\n")
        return None
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 — Django may not be set up yet
            pass
        postgres.stop()
        if not args.keep:
            shutil.rmtree(state_dir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=1_000_000, help="signals to seed (default 1000000)")
    parser.add_argument("--requests", type=int, default=4000, help="requests in all (default 4000)")
    parser.add_argument("--users", type=int, default=20, help="concurrent virtual users (default 20)")
    parser.add_argument("--warmup", type=int, default=2, metavar="ROUNDS",
                        help="unmeasured rounds of each page on every worker before the load (default 2; 0: cold)")
    parser.add_argument("--think", type=float, default=3.0, metavar="SECONDS",
                        help="mean wait of a person between two requests, exponential (default 3; 0: no waiting, "
                             "the stress figure)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per instance (default 3)")
    parser.add_argument("--generate", type=int, default=100_000,
                        help="signals made by inbox.py's generator (default 100000); history beyond is copied in SQL")
    parser.add_argument("--open-work", type=int, default=15_500,
                        help="active signals region-wide, whatever --signals (default 15500: ~13 %% of 100 000)")
    parser.add_argument("--reminders", type=int, default=50, help="reminders falling due during the load")
    parser.add_argument("--no-faults", dest="faults", action="store_false", help="load only, no fault drill")
    parser.add_argument("--keep", metavar="DIR", help="keep the seeded cluster in DIR and reuse it next time")
    parser.add_argument("--port", type=int, default=54344, help="PostgreSQL port (default 54344)")
    parser.add_argument("--app-ports", type=lambda v: [int(p) for p in v.split(",")], default=[18081, 18082],
                        help="the gunicorn instances' ports (default 18081,18082)")
    parser.add_argument("--pg-bin", help="PostgreSQL binaries (default /usr/lib/postgresql/15/bin)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the data set")
    args = parser.parse_args()
    if args.signals < 1000 or args.requests < 50 or len(args.app_ports) < 2:
        parser.error("--signals ≥ 1000, --requests ≥ 50 and two --app-ports")

    wall = time.perf_counter()
    results = run_on_bench_postgres(args, "meldroute-load.", run)
    if results is None:
        return 1
    log(f"total: {time.perf_counter() - wall:.1f} s")
    log(f"acknowledged={results['acknowledged']} found={results['found']} duplicates={results['duplicates']} "
        f"lost={results['lost']} reminders_due={results['reminders_due']} reminders_once={results['reminders_once']} "
        f"audit_chain={results['audit_chain']} requests={results['requests']} errors={results['errors']} "
        f"errors_outside_faults={results['errors_outside_faults']} page_p95_ms={results['page_p95_ms']:.1f} "
        f"signals={results['signals']} think_s={args.think:g}")
    healthy = (results["lost"] == 0 and results["duplicates"] == 0 and results["audit_chain"] == "ok"
               and results["reminders_once"] == results["reminders_due"] and results["errors_outside_faults"] == 0)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
