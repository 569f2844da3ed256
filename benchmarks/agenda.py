#!/usr/bin/env python
"""Benchmark: the meeting page (agenda) at national scale, as chair and as participant, with a constant query count.

Uses load.py's PostgreSQL (a kept, seeded cluster with --keep, e.g. /tmp/load-pg/1m, or a throwaway one) and its
seeding (inbox.py's generator, history copied in SQL). Puts a fresh meeting of a regional table on the agenda with
--items signal items (some already decided), then times /overleggen/<overleg>/ through Django's test Client (the
whole request path) as the chairing procesregisseur and as a participating police officer. Then it grows history
(+10 % signals) and the agenda (+10 % items) and counts the queries again: they must not change. See
benchmarks/README.md.

The last line of output is always:
    chair_median_ms=<n> chair_p95_ms=<n> participant_median_ms=<n> participant_p95_ms=<n> chair_queries=<n>
    participant_queries=<n> items=<n> constant=<yes|no> signals=<n>
(one line). Exit status 1 if a query count changed.
"""

import argparse
import cProfile
import io
import json
import math
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # reuse load.py's cluster and seeding, inbox.py's helpers

from inbox import REGION, analyze, log, remove_after, setup_django  # noqa: E402
from load import clone_history, run_on_bench_postgres, seed_once  # noqa: E402

SERIES_NAME = "Signaleringsoverleg Brakwaterland (agendabenchmark)"
MARKER = b'data-testid="agenda"'


def prepare(args) -> dict:
    """The table, its chair and a participant, and this run's meeting with --items items (a quarter decided)."""
    from meldroute.accounts.constants import Role
    from meldroute.accounts.models import RoleAssignment, User
    from meldroute.intake.models import Signal
    from meldroute.meetings import services as meeting_services
    from meldroute.meetings.constants import Cadence, MeetingStatus, Weekday
    from meldroute.meetings.models import MeetingSeries
    from meldroute.organisations.models import Organisation, Region
    from meldroute.partners.constants import DataCategory
    from meldroute.partners.services import ensure_default_sharing_rules
    from meldroute.routing.constants import MeetingKind

    ensure_default_sharing_rules()
    region = Region.objects.get(slug=REGION[1])
    municipalities = list(Organisation.objects.filter(region=region, kind="municipality").order_by("code"))
    zvh, _ = Organisation.objects.get_or_create(
        code="ZVH-BENCH", defaults={"name": "ZVH Brakwaterland (benchmark)", "kind": "zvh", "region": region})
    police, _ = Organisation.objects.get_or_create(
        code="POL-BENCH", defaults={"name": "Politie Brakwaterland (benchmark)", "kind": "police", "region": region})

    def user(username: str, organisation, role: str) -> User:
        person, created = User.objects.get_or_create(
            username=username, defaults={"first_name": "Agenda", "last_name": username.split(".")[-1],
                                         "organisation": organisation})
        if created:
            person.set_unusable_password()
            person.save(update_fields=["password"])
            RoleAssignment.objects.create(user=person, role=role)
        return person

    chair = user("agenda.procesregisseur", zvh, Role.PROCESREGISSEUR)
    participant = user("agenda.politie", police, Role.PARTNER)
    series = MeetingSeries.objects.filter(region=region, name=SERIES_NAME).first()
    if series is None:
        # A regional table (every municipality's signals), sharing everything a sharing rule may let through: the
        # participant's view is the widest the rules allow, so the page reads the most it can.
        series = MeetingSeries.objects.create(
            region=region, kind=MeetingKind.SIGNALING, name=SERIES_NAME, cadence=Cadence.WEEKLY,
            weekday=Weekday.THURSDAY, chair_organisation=zvh,
            shared_categories=[DataCategory.CLASSIFICATION, DataCategory.DESCRIPTION, DataCategory.LOCATION,
                               DataCategory.PERSONS, DataCategory.ENRICHMENT])
        series.participants.set([zvh, police, *municipalities])
    # A fresh meeting each run (a kept cluster is used many times): the planned one lapses first.
    planned = series.meetings.filter(status=MeetingStatus.PLANNED).first()
    if planned is not None:
        meeting_services.cancel_meeting(planned, actor=chair)
    meeting = meeting_services.next_meeting(series, actor=chair)
    add_items(meeting, args.items, chair, decide_share=0.25)
    in_muni = Signal.objects.count()
    log(f"meeting {meeting.date} of {series.name}: {meeting.items.count()} items "
        f"({meeting.items.exclude(decision='').count()} decided); {in_muni} signals in the database")
    return {"meeting": meeting, "chair": chair, "participant": participant}


def add_items(meeting, count: int, chair, *, decide_share: float = 0.0) -> None:
    """`count` more signal items: signals in a route, from every municipality of the region (the largest most often,
    as their share of signals), not yet on this meeting; the first `decide_share` of them decided ("monitoren")."""
    from django.db.models import Max

    from meldroute.intake.models import Signal
    from meldroute.meetings import services as meeting_services
    from meldroute.meetings.models import AgendaItem
    from meldroute.routing.constants import Decision

    on_agenda = set(meeting.items.values_list("signal_id", flat=True))
    candidates = list(Signal.objects.filter(status="in_route", municipality__region=meeting.series.region)
                      .exclude(pk__in=on_agenda).order_by("-received_at").values_list("pk", flat=True)[:count * 3])
    picked = random.Random(f"agenda-{meeting.pk}-{len(on_agenda)}").sample(candidates, min(count, len(candidates)))
    position = meeting.items.aggregate(last=Max("position"))["last"] or 0
    items = []
    for signal_id in picked:
        position += 1
        items.append(AgendaItem.objects.create(meeting=meeting, signal_id=signal_id, position=position))
    for item in items[:int(len(items) * decide_share)]:
        meeting_services.decide_item(item, actor=chair, decision=Decision.MONITOR)


def time_page(client, url: str, requests: int, warmup: int) -> tuple[float, float]:
    for _ in range(warmup):
        check(client.get(url), url)
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        check(response, url)
    ranked = sorted(samples)
    return statistics.median(samples), ranked[max(0, math.ceil(0.95 * len(ranked)) - 1)]


def check(response, url: str) -> None:
    if response.status_code != 200 or MARKER not in response.content:
        raise SystemExit(f"GET {url} returned {response.status_code} without the agenda")


def capture(client, url: str) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        check(client.get(url), url)
    return ctx.captured_queries


def show_queries(name: str, queries: list[dict]) -> None:
    log(f"\nqueries of one request as the {name} ({len(queries)}, "
        f"{sum(float(q['time']) for q in queries) * 1000:.1f} ms in the database):")
    for n, query in enumerate(queries, 1):
        log(f"{n:3d}. {float(query['time']) * 1000:6.1f} ms  {query['sql'][:160]}")


def profile(client, url: str, name: str, top: int) -> None:
    """cProfile of one request (after the timed ones: warm caches): where the Python time goes."""
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
        log(f"\ncProfile of one request as the {name} ({order}, top {top}):")
        log(out.getvalue())


def run(args, database_url: str, state_dir: Path) -> dict:
    os.environ["MELDROUTE_REQUIRE_2FA"] = "false"  # the bench environment only: sessions are made without TOTP
    setup_django(database_url, str(state_dir / "app"))
    seed_once(args, state_dir / "seeded.json")
    from django.test import Client

    from meldroute.intake.models import Signal

    plan = prepare(args)
    meeting = plan["meeting"]
    url = f"/overleggen/{meeting.uuid}/"
    clients = {}
    for name in ("chair", "participant"):
        clients[name] = Client()
        clients[name].force_login(plan[name])
    timings, queries = {}, {}
    for name, client in clients.items():
        timings[name] = time_page(client, url, args.requests, args.warmup)
        queries[name] = capture(client, url)
        size = len(client.get(url).content)
        log(f"{name:12} median {timings[name][0]:7.1f} ms  p95 {timings[name][1]:7.1f} ms  "
            f"queries {len(queries[name])} ({sum(float(q['time']) for q in queries[name]) * 1000:.1f} ms)  "
            f"page {size / 1024:.0f} KiB")
    if args.show_queries:
        for name in clients:
            show_queries(name, queries[name])
    if args.profile:
        for name, client in clients.items():
            profile(client, url, name, args.profile)

    # The query count must follow neither history nor the length of the agenda.
    last_id = Signal.objects.order_by("-id").values_list("id", flat=True).first() or 0
    extra = max(1, args.signals // 10)
    started = time.perf_counter()
    clone_history(Signal.objects.count() + extra, prefix="AG")  # removed again below with --keep
    analyze()
    log(f"+{extra} signals of history in {time.perf_counter() - started:.0f} s")
    add_items(meeting, max(1, math.ceil(args.items / 10)), plan["chair"], decide_share=0.25)
    items = meeting.items.count()
    grown = {name: capture(client, url) for name, client in clients.items()}
    grown_median = {name: time_page(client, url, max(3, args.requests // 2), 1)[0]
                    for name, client in clients.items()}
    constant = all(len(grown[name]) == len(queries[name]) for name in clients)
    for name in clients:
        log(f"{name:12} at +10 % signals and {items} items: median {grown_median[name]:7.1f} ms, queries "
            f"{len(grown[name])} (before: {len(queries[name])})")
    log(f"query count {'constant' if constant else 'CHANGED'}")
    if not constant and args.show_queries:
        for name in clients:
            show_queries(f"{name} (grown)", grown[name])
    if args.keep:  # back to exactly N signals, so the next run (and load.py) can reuse the data set
        remove_after(last_id)
        analyze()
    from django.db import connections

    connections.close_all()
    return {"chair": timings["chair"], "participant": timings["participant"],
            "chair_queries": len(queries["chair"]), "participant_queries": len(queries["participant"]),
            "items": args.items, "constant": constant}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=1_000_000, help="signals to seed (default 1000000)")
    parser.add_argument("--items", type=int, default=70, help="signal items on the meeting's agenda (default 70)")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per viewer (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up requests per viewer (default 3)")
    parser.add_argument("--generate", type=int, default=100_000,
                        help="signals made by inbox.py's generator (default 100000); history beyond is copied in SQL")
    parser.add_argument("--open-work", type=int, default=15_500,
                        help="active signals region-wide, whatever --signals (default 15500, as load.py)")
    parser.add_argument("--keep", metavar="DIR",
                        help="keep the seeded cluster in DIR and reuse it (load.py's layout: /tmp/load-pg/1m)")
    parser.add_argument("--port", type=int, default=54344, help="PostgreSQL port (default 54344, as load.py)")
    parser.add_argument("--pg-bin", help="PostgreSQL binaries (default /usr/lib/postgresql/15/bin)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the data set")
    parser.add_argument("--show-queries", action="store_true", help="list the queries of one request per viewer")
    parser.add_argument("--profile", type=int, nargs="?", const=40, default=0, metavar="TOP",
                        help="cProfile of one request per viewer (top 40 lines, or TOP)")
    args = parser.parse_args()
    if args.signals < 1000 or args.items < 1:
        parser.error("--signals ≥ 1000 and --items ≥ 1")

    wall = time.perf_counter()
    results = run_on_bench_postgres(args, "meldroute-agenda.", lambda args, _pg, url, state: run(args, url, state))
    if results is None:
        return 1
    log(f"total: {time.perf_counter() - wall:.1f} s; load average {json.dumps(os.getloadavg())}")
    chair, participant = results["chair"], results["participant"]
    log(f"chair_median_ms={chair[0]:.1f} chair_p95_ms={chair[1]:.1f} participant_median_ms={participant[0]:.1f} "
        f"participant_p95_ms={participant[1]:.1f} chair_queries={results['chair_queries']} "
        f"participant_queries={results['participant_queries']} items={results['items']} "
        f"constant={'yes' if results['constant'] else 'no'} signals={args.signals}")
    return 0 if results["constant"] else 1


if __name__ == "__main__":
    sys.exit(main())
