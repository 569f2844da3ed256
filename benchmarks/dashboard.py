#!/usr/bin/env python
"""Benchmark: the municipal dashboard and the RIEC's regional view on a large data set, against hand-written SQL.

Starts a throwaway PostgreSQL on loopback (or uses --database-url), migrates, bulk-seeds a fictional region of 15
municipalities with N signals over 5 years (classifications, cases, plan actions and victims with them) in SQL, then
times both pages through Django's test Client and the dashboard's aggregates written by hand as SQL on the same
database. See benchmarks/README.md.

The last line of output is always:
    dashboard_median_ms=<n> regional_median_ms=<n> report_median_ms=<n> sql_median_ms=<n> ratio=<n> signals=<n>
"""

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # reuse the throwaway-PostgreSQL helpers of inbox.py

from inbox import (  # noqa: E402
    MUNICIPALITIES,
    REGION,
    capture,
    explain,
    log,
    profile_page,
    run_on_postgres,
    setup_django,
)

YEARS = 5
CASE_RATE = 0.025  # a case for about one in 40 signals
VICTIMS_PER_CASE = 1.3
ACTIONS_PER_CASE = 3
TEAMS = "ARRAY['balie','kcc','toezicht','boa','leerplicht','wijkteam','zwi','vergunningen','oov']"
SECTORS = ("ARRAY['sex_work','agriculture','construction','hospitality','meat_processing','cleaning','temporary_work',"
           "'beauty','automotive','logistics','begging','']")


def seed(n_signals: int) -> dict:
    from django.db import connection

    from meldroute.accounts.constants import Role
    from meldroute.accounts.models import RoleAssignment, User
    from meldroute.core.crypto import encrypt
    from meldroute.organisations.models import Organisation, Region

    region = Region.objects.create(name=REGION[0], slug=REGION[1])
    munis = Organisation.objects.bulk_create(
        [Organisation(name=name, kind="municipality", region=region, code=code) for name, code, _ in MUNICIPALITIES])
    riec = Organisation.objects.create(name="RIEC Brakwaterland", kind="riec", region=region, code="RIEC-BENCH")
    af = User.objects.create(username="bench.af", first_name="AF", last_name="Brakwater", organisation=munis[0])
    keten = User.objects.create(username="bench.keten", first_name="Keten", last_name="Regisseur", organisation=riec)
    RoleAssignment.objects.bulk_create([RoleAssignment(user=af, role=Role.AF),
                                        RoleAssignment(user=keten, role=Role.KETENREGISSEUR)])
    total_weight = sum(size for _, _, size in MUNICIPALITIES)
    offset = 0
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = on")  # see inbox.py: let VACUUM set the visibility map
        description = encrypt("Fictief benchmarksignaal.")  # encrypted at rest, as the model field stores it
        for muni, (_, _, size) in zip(munis, MUNICIPALITIES, strict=True):
            n = max(1, round(n_signals * size / total_weight)) if muni is not munis[-1] else n_signals - offset
            cursor.execute(f"""
                INSERT INTO intake_signal (uuid, created_at, updated_at, reference, municipality_id, channel,
                    reporter_id, source_organisation_id, reporter_team, external_reference, is_acute, status,
                    description, address, postcode, business_name, kvk_number, location_description, observed_on,
                    observed_time, persons_description, received_at, assigned_to_id, deadline_at,
                    acute_alert_sent_at, closed_at, outcome, phenomenon, feedback_due_at, feedback_sent_at,
                    feedback_reminder_sent_at, classified_at, classified_forms, classified_sector)
                SELECT gen_random_uuid(), received, received, 'MB-' || lpad((g + %(offset)s)::text, 9, '0'), %(muni)s,
                    CASE WHEN r_channel < 0.05 THEN 'partner' ELSE 'internal' END, NULL, %(muni)s,
                    CASE WHEN r_channel < 0.05 THEN '' ELSE ({TEAMS})[1 + floor(r_team * 9)::int] END, '',
                    r_acute < 0.10, CASE WHEN r_status < 0.80 THEN 'closed' WHEN r_status < 0.85 THEN 'cancelled'
                                         ELSE 'in_triage' END,
                    %(description)s, '', '', '', '', '', NULL, '', '', received, NULL, NULL, NULL,
                    CASE WHEN r_status < 0.80 THEN received + r_close * interval '40 days' END,
                    CASE WHEN r_status >= 0.80 THEN '' WHEN r_outcome < 0.35 THEN 'no_trafficking'
                         WHEN r_outcome < 0.60 THEN 'trafficking_routed'
                         WHEN r_outcome < 0.80 THEN 'insufficient_information'
                         WHEN r_outcome < 0.95 THEN 'other_phenomenon' ELSE 'duplicate' END,
                    CASE WHEN r_status < 0.80 AND r_outcome >= 0.80 AND r_outcome < 0.95 THEN 'undermining'
                         ELSE '' END,
                    CASE WHEN r_status < 0.80 THEN received + r_close * interval '40 days' + interval '14 days' END,
                    CASE WHEN r_status < 0.80 THEN received + r_close * interval '40 days'
                                                   + r_feedback * interval '13 days' END,
                    NULL,
                    CASE WHEN classified THEN received + r_time * CASE WHEN r_acute < 0.10 THEN interval '6 hours'
                                                                       ELSE interval '7 days' END END,
                    CASE WHEN NOT classified THEN '[]' WHEN r_form < 0.45 THEN '["sexual"]'
                         WHEN r_form < 0.80 THEN '["labour"]' WHEN r_form < 0.92 THEN '["criminal"]'
                         WHEN r_form < 0.995 THEN '["labour", "sexual"]' ELSE '["organ_removal"]' END::jsonb,
                    CASE WHEN classified THEN ({SECTORS})[1 + floor(r_sector * 12)::int] ELSE '' END
                FROM (SELECT *, (r_status < 0.80 OR r_status >= 0.85) AND r_keep < 0.9 AS classified
                      FROM (SELECT g, now() - random() * interval '{YEARS * 365} days' AS received,
                                   random() AS r_channel, random() AS r_team, random() AS r_acute,
                                   random() AS r_status, random() AS r_close, random() AS r_outcome,
                                   random() AS r_feedback, random() AS r_time, random() AS r_form,
                                   random() AS r_sector, random() AS r_keep
                            FROM generate_series(1, %(n)s) AS g) AS y) AS x
            """, {"offset": offset, "muni": muni.pk, "n": n, "description": description})
            offset += n
        # The classifications are drawn with the signals above (the signal's copy, as classify_signal keeps it);
        # here the classification rows themselves, the same facts.
        cursor.execute("""
            INSERT INTO triage_classification (uuid, created_at, updated_at, signal_id, forms, sector,
                means_of_control, assessment, classified_by_id)
            SELECT gen_random_uuid(), s.classified_at, s.classified_at, s.id, s.classified_forms, s.classified_sector,
                '[]'::jsonb, 'suspected', %(af)s
            FROM intake_signal s WHERE s.classified_at IS NOT NULL
        """, {"af": af.pk})
        cursor.execute("""
            INSERT INTO cases_case (uuid, created_at, updated_at, reference, title, municipality_id, zvh_id, status,
                is_complex, complexity_criteria, result, result_text, opened_by_id, closed_at)
            SELECT gen_random_uuid(), s.received_at + interval '10 days', s.received_at, 'CS-B-' || s.id,
                'Benchmarkcasus', s.municipality_id, NULL,
                CASE WHEN s.received_at < now() - interval '1 year' THEN 'closed' ELSE 'in_progress' END,
                false, '[]'::jsonb,
                CASE WHEN s.received_at < now() - interval '1 year' THEN 'victim_safe' ELSE '' END, '', %(af)s,
                CASE WHEN s.received_at < now() - interval '1 year' THEN s.received_at + interval '200 days' END
            FROM intake_signal s WHERE random() < %(rate)s
        """, {"af": af.pk, "rate": CASE_RATE})
        cursor.execute("""
            INSERT INTO cases_case_signals (case_id, signal_id)
            SELECT c.id, s.id FROM cases_case c JOIN intake_signal s ON c.reference = 'CS-B-' || s.id
        """)
        cursor.execute(f"""
            INSERT INTO cases_caseaction (uuid, created_at, updated_at, case_id, description, owner_user_id,
                owner_organisation_id, owner_label, deadline, status, done_at, note, created_by_id, reminder_sent_at)
            SELECT gen_random_uuid(), c.created_at, c.created_at, c.id, 'Fictieve actie', %(af)s, NULL, 'AF',
                (c.created_at + random() * interval '120 days')::date,
                CASE WHEN c.status = 'closed' OR random() < 0.6 THEN 'done' ELSE 'open' END, NULL, '', %(af)s, NULL
            FROM cases_case c, generate_series(1, {ACTIONS_PER_CASE})
        """, {"af": af.pk})
        victims = seed_victims(cursor, af.pk)
        cursor.execute("SELECT (SELECT count(*) FROM cases_case), (SELECT count(*) FROM triage_classification)")
        cases, classified = cursor.fetchone()
    return {"region": region, "munis": munis, "af": af, "keten": keten, "cases": cases, "victims": victims,
            "classified": classified}


def load_world(n_signals: int) -> dict | None:
    """The seeded region of a kept cluster (--keep), or None if this database has none yet."""
    from django.db import connection

    from meldroute.accounts.models import User
    from meldroute.intake.models import Signal
    from meldroute.organisations.models import Organisation, Region

    region = Region.objects.filter(slug=REGION[1]).first()
    if region is None:
        return None
    have = Signal.objects.count()
    if have != n_signals:
        raise SystemExit(f"the kept database holds {have} signals, not {n_signals}: use another --keep directory")
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM cases_case), (SELECT count(*) FROM triage_classification),"
                       " (SELECT count(*) FROM persons_person)")
        cases, classified, victims = cursor.fetchone()
    return {"region": region, "munis": list(Organisation.objects.filter(region=region, kind="municipality")
                                            .order_by("id")),
            "af": User.objects.get(username="bench.af"), "keten": User.objects.get(username="bench.keten"),
            "cases": cases, "victims": victims, "classified": classified}


def seed_victims(cursor, af_id: int) -> int:
    """About 1.3 victims per case, with categories only; identity fields left empty."""
    from meldroute.persons.models import Person

    columns = {f.column for f in Person._meta.concrete_fields if not f.primary_key}
    values = {
        "uuid": "gen_random_uuid()", "created_at": "c.created_at", "updated_at": "c.created_at", "case_id": "c.id",
        "role": "'victim'", "letter": "chr(64 + k)", "pseudonym": "'Slachtoffer ' || c.reference || '-' || chr(64 + k)",
        "victim_status": "'suspected'", "status_decided_by": "''", "status_decided_on": "NULL",
        "first_name": "''", "last_name": "''", "bsn": "''", "birth_date": "NULL", "address": "''", "phone": "''",
        "bsn_hash": "''", "name_hash": "''",
        "gender": "(ARRAY['female','female','male','unknown'])[1 + floor(random() * 4)::int]",
        "exploitation_year": "NULL",
        "age_band": "(ARRAY['minor','18-22','23-29','30+','unknown'])[1 + floor(random() * 5)::int]",
        "minor_at_exploitation": "false", "is_minor": "false",
        "citizenship": "(ARRAY['NL','NL','RO','PL','BG','NG','XX','ZZ'])[1 + floor(random() * 8)::int]",
        "is_unaccompanied_minor_foreigner": "false",
        "exploitation_forms": "(ARRAY['[\"sexual\"]','[\"labour\"]','[\"criminal\"]'])[1 + floor(random() * 3)::int]"
                              "::jsonb",
        "sex_sector": "''", "labour_sector": "''", "means_of_control": "'[]'::jsonb", "recruiter_relation": "''",
        "place_of_recruitment": "''", "place_of_exploitation": "''", "registered_with_comensha_at": "NULL",
        "restricted_at": "NULL",
        "created_by_id": str(af_id),
    }
    missing = columns - set(values)
    if missing:  # the persons app moved on: say so, and benchmark without victims rather than fail
        log(f"persons.Person has columns this benchmark does not know ({', '.join(sorted(missing))}): no victims")
        return 0
    names = sorted(columns)
    cursor.execute(f"""
        INSERT INTO persons_person ({', '.join(names)})
        SELECT {', '.join(values[name] for name in names)}
        FROM cases_case c
        CROSS JOIN LATERAL generate_series(1, CASE WHEN random() + 0 * c.id < {VICTIMS_PER_CASE - 1} THEN 2 ELSE 1 END)
            AS k
    """)
    return cursor.rowcount


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("intake_signal", "triage_classification", "cases_case", "cases_caseaction", "persons_person",
                      "rollups_signalday"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        cursor.execute("ANALYZE")


# --------------------------------------------------------------------------- the hand-written baseline

def hand_sql() -> dict[str, str]:
    """The dashboard's signal figures as one would write them by hand on this schema: a pivot of filtered counts per
    (month, forms) over the period, and one aggregate over both periods for the medians, the feedback counts and
    the previous period's total and acute count (all the dashboard compares), reading the classification's facts
    from the signal's own copy as the dashboard does."""
    from meldroute.intake.constants import Outcome
    from meldroute.organisations.constants import Team
    from meldroute.triage.constants import Sector

    pivot = ["count(*) FILTER (WHERE s.classified_sector IN ('', 'unknown'))"]
    pivot += [f"count(*) FILTER (WHERE s.classified_sector = '{v}')" for v, _ in Sector.choices if v != "unknown"]
    pivot += ["count(*) FILTER (WHERE s.channel = 'partner')",
              "count(*) FILTER (WHERE s.channel <> 'partner' AND s.reporter_team = '')"]
    pivot += [f"count(*) FILTER (WHERE s.channel <> 'partner' AND s.reporter_team = '{v}')" for v, _ in Team.choices]
    pivot += ["count(*) FILTER (WHERE s.is_acute)", "count(*) FILTER (WHERE s.outcome = '')"]
    pivot += [f"count(*) FILTER (WHERE s.outcome = '{v}')" for v, _ in Outcome.choices]
    durations = []
    for k, w in enumerate(("s.received_at >= %(start)s", "s.received_at < %(start)s")):
        for moment in ("s.classified_at", "s.feedback_sent_at"):
            durations.append("percentile_cont(0.5) WITHIN GROUP"
                             f" (ORDER BY date_part('epoch', {moment} - s.received_at)) FILTER (WHERE {w})")
        durations.append(f"count(*) FILTER (WHERE {w} AND s.feedback_sent_at IS NOT NULL)")
        if k:
            durations += [f"count(*) FILTER (WHERE {w})", f"count(*) FILTER (WHERE {w} AND s.is_acute)"]
    return {
        "pivot": f"""
            SELECT date_trunc('month', s.received_at AT TIME ZONE 'Europe/Amsterdam'), s.classified_forms, count(*),
                   {', '.join(pivot)}
            FROM intake_signal s
            WHERE s.municipality_id = %(m)s AND s.received_at >= %(start)s AND s.received_at < %(end)s
            GROUP BY 1, 2""",
        "durations": f"""
            SELECT {', '.join(durations)}
            FROM intake_signal s
            WHERE s.municipality_id = %(m)s AND s.received_at >= %(prev_start)s AND s.received_at < %(end)s""",
    }


HAND_SQL_ONCE = {
    "cases": """
        SELECT count(*) FILTER (WHERE status <> 'closed'),
               count(*) FILTER (WHERE created_at >= %(start)s AND created_at < %(end)s),
               count(*) FILTER (WHERE closed_at >= %(start)s AND closed_at < %(end)s)
        FROM cases_case WHERE municipality_id = %(m)s""",
    "overdue": """
        SELECT count(*) FROM cases_caseaction a JOIN cases_case c ON c.id = a.case_id
        WHERE c.municipality_id = %(m)s AND c.status <> 'closed' AND a.status = 'open' AND a.deadline < %(today)s""",
    "results": """
        SELECT result, count(*) FROM cases_case WHERE municipality_id = %(m)s AND closed_at >= %(start)s
          AND closed_at < %(end)s AND result <> '' GROUP BY 1""",
    "victims": """
        SELECT p.id, p.gender, p.age_band, p.is_minor, p.minor_at_exploitation, p.citizenship, p.exploitation_forms,
               p.labour_sector
        FROM persons_person p JOIN cases_case c ON c.id = p.case_id
        WHERE p.role = 'victim' AND c.municipality_id = %(m)s AND p.created_at >= %(ystart)s
          AND p.created_at < %(yend)s""",
}


def hand_written(municipality_id: int, period, previous, victim_period, queries: dict[str, str]) -> None:
    from django.db import connection
    from django.utils import timezone

    params = {"m": municipality_id, "start": period.start_at, "end": period.end_at, "prev_start": previous.start_at,
              "today": timezone.localdate(), "ystart": victim_period.start_at, "yend": victim_period.end_at}
    with connection.cursor() as cursor:
        for sql in (*queries.values(), *HAND_SQL_ONCE.values()):
            cursor.execute(sql, params)
            cursor.fetchall()


def explain_page(client, url: str) -> None:
    """EXPLAIN ANALYZE of the page's queries on the big tables, as the view ran them (inbox.explain)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    log(f"\n== {url}")
    explain(ctx.captured_queries)


def median_ms(fn, requests: int, warmup: int) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def run(args, database_url: str, data_dir: str) -> dict:
    setup_django(database_url, data_dir)
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from meldroute.intake.models import Signal
    from meldroute.monitoring.aggregates import Period
    from meldroute.monitoring.forms import parse_period
    from meldroute.rollups.services import rebuild

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"migrate: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    world = load_world(args.signals) if args.keep else None
    reused = world is not None
    if world is None:
        world = seed(args.signals)
    else:
        log(f"reusing the {args.signals} seeded signals in {args.keep}")
    seeded = time.perf_counter() - started
    if not reused or args.rebuild:
        started = time.perf_counter()
        made = rebuild()  # the seed wrote the signals in bulk SQL, past the rollups: as `meldroute rebuild_rollups`
        log(f"rebuild_rollups: {made} rows in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    analyze()
    muni = world["munis"][0]
    in_muni = Signal.objects.filter(municipality=muni).count()
    log(f"seed: {args.signals} signals ({world['classified']} classified), {world['cases']} cases, "
        f"{world['victims']} victims in "
        f"{len(world['munis'])} municipalities over {YEARS} years in {seeded:.1f} s; "
        f"VACUUM + ANALYZE {time.perf_counter() - started:.1f} s")

    period = parse_period("12m")
    previous = period.previous()
    victim_period = Period.year((period.end - timedelta(days=1)).year)
    year = timezone.localdate().year
    in_period = Signal.objects.filter(municipality=muni, received_at__gte=period.start_at,
                                      received_at__lt=period.end_at).count()
    log(f"dashboard of {muni.name}: {in_muni} signals in all, {in_period} in the last 12 months")

    af_client, keten_client = Client(), Client()
    af_client.force_login(world["af"])
    keten_client.force_login(world["keten"])

    def get(client, url, marker):
        response = client.get(url)
        if response.status_code != 200 or marker not in response.content:
            raise SystemExit(f"GET {url} returned {response.status_code} without {marker!r}")

    dashboard = median_ms(lambda: get(af_client, "/dashboard/", b'data-testid="figure-form"'),
                          args.requests, args.warmup)
    regional = median_ms(lambda: get(keten_client, f"/regio/?jaar={year}&onderwerp=form",
                                     b'data-testid="regional-table"'), args.requests, args.warmup)
    if args.show_queries:
        for url, client in (("/dashboard/", af_client), (f"/regio/?jaar={year}&onderwerp=form", keten_client)):
            captured = capture(client, url)
            total = sum(float(q["time"]) for q in captured) * 1000
            log(f"\nqueries of one {url} request: {len(captured)}, {total:.1f} ms in all")
            for n, query in enumerate(captured, 1):
                log(f"{n:3d}. {float(query['time']) * 1000:6.1f} ms  {query['sql'][:160]}")
    if args.profile:
        profile_page(af_client, "/dashboard/", top=40)
        profile_page(keten_client, f"/regio/?jaar={year}&onderwerp=form", top=25)
    # What keeping the rollups costs a change of one signal: its day recounted, then its month (rolled back).
    from django.db import transaction

    from meldroute.rollups.models import SignalDay
    from meldroute.rollups.services import refresh_day

    busiest = SignalDay.objects.filter(municipality=muni).order_by("-total").first()

    def upkeep() -> None:
        with transaction.atomic():
            refresh_day(muni.pk, busiest.day)
            transaction.set_rollback(True)

    upkeep_ms = median_ms(upkeep, args.requests, 1) if busiest else 0.0
    log(f"rollup upkeep of one signal change: {upkeep_ms:.1f} ms median (day {busiest.day if busiest else '-'} "
        f"with {busiest.total if busiest else 0} signals, and its month)")
    report_url = f"/rapportages/?kind=jaar&year={year}"
    report = median_ms(lambda: get(af_client, report_url, b'name="kind"'), max(3, args.requests // 3), 1)
    if args.profile:
        profile_page(af_client, report_url, top=30)
    queries = hand_sql()
    sql = median_ms(lambda: hand_written(muni.pk, period, previous, victim_period, queries), args.requests,
                    args.warmup)
    if args.explain:
        explain_page(af_client, "/dashboard/")
        explain_page(keten_client, f"/regio/?jaar={year}&onderwerp=form")
    log(f"/dashboard/  median {dashboard:7.1f} ms")
    log(f"/regio/      median {regional:7.1f} ms")
    log(f"{report_url}  median {report:7.1f} ms  (the year report on screen)")
    log(f"hand SQL     median {sql:7.1f} ms  (the dashboard's aggregates written by hand)")

    from django.db import connections

    connections.close_all()
    return {"dashboard": dashboard, "regional": regional, "report": report, "sql": sql, "signals": args.signals}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=1_000_000, help="signals to seed (default 1000000)")
    parser.add_argument("--port", type=int, default=54332, help="port of the throwaway PostgreSQL (default 54332)")
    parser.add_argument("--database-url", help="use this (empty) database instead of a throwaway one")
    parser.add_argument("--pg-bin", help="PostgreSQL binaries (default /usr/lib/postgresql/15/bin)")
    parser.add_argument("--requests", type=int, default=10, help="timed requests per page (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up requests per page (default 2)")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the pages' queries")
    parser.add_argument("--show-queries", action="store_true", help="list each query of one request, with its time")
    parser.add_argument("--profile", action="store_true",
                        help="print a cProfile of one /dashboard/ (and /regio/, report) request")
    parser.add_argument("--keep", metavar="DIR",
                        help="keep the PostgreSQL cluster in DIR, reuse its data set next time (same --signals)")
    parser.add_argument("--rebuild", action="store_true",
                        help="with --keep: rebuild the rollups of the reused data set (after a rollup migration)")
    args = parser.parse_args()
    if args.signals < len(MUNICIPALITIES) or args.requests < 1:
        parser.error(f"--signals must be at least {len(MUNICIPALITIES)} and --requests at least 1")

    results = run_on_postgres(args, run)
    if results is None:
        return 1
    ratio = results["dashboard"] / max(results["sql"], 1e-9)
    log(f"dashboard_median_ms={results['dashboard']:.1f} regional_median_ms={results['regional']:.1f} "
        f"report_median_ms={results['report']:.1f} sql_median_ms={results['sql']:.1f} ratio={ratio:.2f} "
        f"signals={results['signals']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
