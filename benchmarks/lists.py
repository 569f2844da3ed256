#!/usr/bin/env python
"""Benchmark: the case list, the partner's referral list and the reporter's list on a large data set.

Starts a throwaway PostgreSQL on loopback (or uses --database-url, or reuses --keep DIR), migrates, seeds the signals
with inbox.py's generator (a longer past at the same pace beyond 100 000, so the open work stays the same), then in
bulk SQL on top of them: cases (~2.5 % of the signals, most closed long ago; a casusregisseur on their team and three
plan actions each) and referrals to the police and Veilig Thuis (~20 % of the signals, ~95 % answered long ago). Times
every tab and filter of the lists through Django's test Client as the proper users, against hand-written SQL for each
page's data, and counts the queries again after 10 % more history (exit 1 if the count changes). See
benchmarks/README.md.

The last line of output is always:
    cases_median_ms=<n> referrals_median_ms=<n> mine_median_ms=<n> sql_median_ms=<n> ratio=<n> queries=<n> signals=<n>
"""

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # reuse the PostgreSQL helpers and generator of inbox.py

from inbox import (  # noqa: E402
    analyze,
    capture,
    clone_sql,
    explain,
    history_for,
    load_region,
    log,
    remove_after,
    run_on_postgres,
    seed_region,
    seed_signals,
    setup_django,
    time_page,
)

CASE_PER_MILLE = 25  # a case for ~2.5 % of the signals
REFERRAL_PERCENT = 20  # a referral for ~20 % of the signals
POLICE = ("Politie eenheid Brakwaterland (benchmark)", "POL-BENCH", "police")
VEILIG_THUIS = ("Veilig Thuis Brakwaterland (benchmark)", "VT-BENCH", "veilig_thuis")
CASUSREGISSEUR = "bench.casusregisseur.gm7001"
PARTNER = "bench.politie"
LIST_TABLES = ("cases_case", "cases_casemember", "cases_caseaction", "cases_case_signals", "referrals_referral")


# --------------------------------------------------------------------------- seeding


def seed_parties(municipalities, afs):
    """The police and Veilig Thuis of the region with a contact each, and a casusregisseur at the largest
    municipality (on about half of its cases)."""
    from meldroute.accounts.constants import Role
    from meldroute.accounts.models import RoleAssignment, User
    from meldroute.organisations.models import Organisation

    region_id = municipalities[0].region_id
    partners = [Organisation.objects.create(name=name, code=code, kind=kind, region_id=region_id)
                for name, code, kind in (POLICE, VEILIG_THUIS)]
    people = [User(username=PARTNER, first_name="Politie", last_name="Benchmark", organisation=partners[0]),
              User(username="bench.veiligthuis", first_name="Veilig Thuis", last_name="Benchmark",
                   organisation=partners[1]),
              User(username=CASUSREGISSEUR, first_name="Casusregisseur", last_name="Benchmark",
                   organisation=municipalities[0], team="zwi")]
    for person in people:
        person.set_unusable_password()
        person.save()
    RoleAssignment.objects.bulk_create([RoleAssignment(user=people[0], role=Role.PARTNER),
                                        RoleAssignment(user=people[1], role=Role.PARTNER),
                                        RoleAssignment(user=people[2], role=Role.CASUSREGISSEUR)])
    return partners, people


def load_parties():
    from meldroute.accounts.models import User
    from meldroute.organisations.models import Organisation

    partners = [Organisation.objects.get(code=POLICE[1]), Organisation.objects.get(code=VEILIG_THUIS[1])]
    people = [User.objects.get(username=name) for name in (PARTNER, "bench.veiligthuis", CASUSREGISSEUR)]
    return partners, people


def seed_cases_and_referrals(after_id: int, municipalities, afs, partners, people) -> None:
    """For the signals with id > after_id, in SQL: a case for ~2.5 % of them (open while the signal is, or for half of
    those closed in the last 180 days; else closed a month after the signal) with one casusregisseur on its team and
    three plan actions; a referral for ~20 % (to the police or Veilig Thuis; open while recent, else answered)."""
    from django.db import connection, transaction

    from meldroute.cases.models import Case, CaseAction, CaseMember
    from meldroute.intake.models import Signal
    from meldroute.referrals.models import Referral

    largest = municipalities[0]
    first_af = {muni.pk: afs[muni.pk][0].pk for muni in municipalities}
    af_of = "CASE s.municipality_id " + " ".join(f"WHEN {m} THEN {u}" for m, u in first_af.items()) + " END"
    casusregisseur = people[2]
    signal = "abs(hashtext(x.reference || '{salt}')) % {modulo}"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = on")  # as inbox.seed_signals: let VACUUM set the visibility map
        af = afs[largest.pk][0]
        template = Case.objects.create(reference="CS-SJABLOON", title="Sjabloon", municipality=largest,
                                       opened_by=af)
        cases = f"""
            SELECT x.id, x.municipality_id, x.received_at, m.code,
                   (x.status NOT IN ('closed', 'cancelled')
                    OR (x.closed_at > now() - interval '180 days' AND {signal.format(salt='o', modulo=2)} = 0)) AS open,
                   least(now(), coalesce(x.closed_at, x.received_at) + interval '30 days') AS closed_at,
                   {signal.format(salt='k', modulo=10)} AS r
            FROM intake_signal x JOIN organisations_organisation m ON m.id = x.municipality_id
            WHERE x.id > {int(after_id)} AND {signal.format(salt='c', modulo=1000)} < {CASE_PER_MILLE}"""
        cursor.execute(f"""WITH c AS ({clone_sql(Case, template.pk, {
            "uuid": "gen_random_uuid()", "created_at": "s.received_at + interval '1 day'",
            "updated_at": "CASE WHEN s.open THEN s.received_at + interval '1 day' ELSE s.closed_at END",
            "reference": "'CS-' || s.code || '-' || extract(year FROM s.received_at)::int || '-' || s.id",
            "title": "'Benchmarkcasus ' || s.id", "municipality_id": "s.municipality_id",
            "status": "CASE WHEN NOT s.open THEN 'closed' WHEN s.r < 3 THEN 'opened' WHEN s.r < 5 THEN 'plan' "
                      "WHEN s.r < 9 THEN 'in_progress' ELSE 'suspended' END",
            "is_complex": "s.r = 0", "result": "CASE WHEN s.open THEN '' ELSE 'no_trafficking' END",
            "opened_by_id": af_of,
            "closed_at": "CASE WHEN s.open THEN NULL ELSE s.closed_at END"}, cases)} RETURNING id, reference)
            INSERT INTO cases_case_signals (case_id, signal_id) SELECT id, split_part(reference, '-', 4)::bigint FROM c
            """)
        template.delete()

        created = ("SELECT c.id, c.municipality_id, c.created_at, c.closed_at, c.status <> 'closed' AS open, "
                   "abs(hashtext(c.reference)) % 2 AS half FROM cases_case c JOIN cases_case_signals cs "
                   f"ON cs.case_id = c.id WHERE cs.signal_id > {int(after_id)}")
        member_user = (f"CASE WHEN s.municipality_id = {largest.pk} AND s.half = 0 THEN {casusregisseur.pk} "
                       f"ELSE {af_of} END")
        case = Case.objects.create(reference="CS-SJABLOON", title="Sjabloon", municipality=largest, opened_by=af)
        member = CaseMember.objects.create(case=case, user=af, role="casusregisseur")
        cursor.execute(clone_sql(CaseMember, member.pk, {
            "uuid": "gen_random_uuid()", "created_at": "s.created_at", "updated_at": "s.created_at",
            "case_id": "s.id", "user_id": member_user}, created))
        action = CaseAction.objects.create(case=case, description="Sjabloon", owner_user=af, owner_label="Sjabloon",
                                           deadline=case.created_at.date(), created_by=af)
        for n, (what, days) in enumerate([("Huisbezoek afleggen", 7), ("Gesprek met de betrokkene", 21),
                                          ("Terugkoppeling aan de ketenpartners", 45)]):
            cursor.execute(clone_sql(CaseAction, action.pk, {
                "uuid": "gen_random_uuid()", "created_at": "s.created_at", "updated_at": "s.created_at",
                "case_id": "s.id", "description": f"'{what}'", "owner_user_id": member_user,
                "owner_label": "'Casusregisseur'",
                "deadline": f"(s.created_at + interval '{days} days')::date",
                # Open cases: the first action done, the others open (the ones past their deadline are overdue).
                "status": f"CASE WHEN NOT s.open OR {n} = 0 THEN 'done' ELSE 'open' END",
                "done_at": f"CASE WHEN NOT s.open THEN s.closed_at WHEN {n} = 0 THEN s.created_at END",
                "created_by_id": af_of}, created))
        case.delete()

        referral = Referral.objects.create(
            signal=Signal.objects.filter(id__gt=after_id).order_by("id").first(),
            sender_organisation=largest, sender_name=largest.name, receiver_organisation=partners[0],
            receiver_name=partners[0].name, receiver_partner_type="police",
            purpose="Fictief: onderzoek naar uitbuiting", legal_ground="public_task", categories=["description"],
            shared_data={"description": {"description": "Fictief benchmarksignaal."}}, created_by=af)
        police, vt = partners
        cursor.execute(clone_sql(Referral, referral.pk, {
            "uuid": "gen_random_uuid()", "created_at": "s.created", "updated_at": "s.created",
            "signal_id": "s.id", "municipality_id": "s.municipality_id", "is_acute": "s.is_acute",
            "sender_organisation_id": "s.municipality_id", "sender_name": "s.name",
            "receiver_organisation_id": f"CASE WHEN s.r < 6 THEN {police.pk} ELSE {vt.pk} END",
            "receiver_name": f"CASE WHEN s.r < 6 THEN '{police.name}' ELSE '{vt.name}' END",
            "receiver_partner_type": "CASE WHEN s.r < 6 THEN 'police' ELSE 'veilig_thuis' END",
            "status": "CASE WHEN s.open THEN (CASE WHEN s.r % 2 = 0 THEN 'in_progress' ELSE 'accepted' END) "
                      "WHEN s.r < 8 THEN 'done' ELSE 'rejected' END",
            "outcome": "CASE WHEN NOT s.open AND s.r < 8 THEN 'Fictief: opgepakt voor onderzoek' ELSE '' END",
            "outcome_kind": "CASE WHEN NOT s.open AND s.r < 8 THEN 'investigation' ELSE '' END",
            "reason": "CASE WHEN NOT s.open AND s.r >= 8 THEN 'Fictief: geen aanknopingspunten' ELSE '' END",
            "created_by_id": af_of,
            "closed_at": "CASE WHEN s.open THEN NULL ELSE s.created + interval '20 days' END"},
            f"""SELECT x.id, x.municipality_id, x.is_acute, m.name, x.received_at + interval '2 days' AS created,
                       (x.status NOT IN ('closed', 'cancelled') OR x.received_at > now() - interval '30 days') AS open,
                       {signal.format(salt='v', modulo=10)} AS r
                FROM intake_signal x JOIN organisations_organisation m ON m.id = x.municipality_id
                WHERE x.id > {int(after_id)} AND {signal.format(salt='r', modulo=100)} < {REFERRAL_PERCENT}"""))
        referral.delete()


def remove_lists_after(last_id: int) -> None:
    """Remove what seed_cases_and_referrals made for the signals with id > last_id, then those signals."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = on")
        cursor.execute("CREATE TEMP TABLE bench_gone ON COMMIT DROP AS SELECT case_id FROM cases_case_signals "
                       "WHERE signal_id > %s", [last_id])
        for table in ("cases_caseaction", "cases_casemember", "cases_case_signals"):
            cursor.execute(f"DELETE FROM {table} WHERE case_id IN (SELECT case_id FROM bench_gone)")
        cursor.execute("DELETE FROM cases_case WHERE id IN (SELECT case_id FROM bench_gone)")
        cursor.execute("DELETE FROM referrals_referral WHERE signal_id > %s", [last_id])
    remove_after(last_id)


def analyze_lists() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in LIST_TABLES:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    analyze()


# --------------------------------------------------------------------------- the pages and their hand-written SQL

CASE_ROWS = """
    SELECT c.uuid, c.reference, c.title, c.status, c.is_complex, c.created_at, m.name, a.next_deadline,
           coalesce(a.overdue, 0) AS overdue
    FROM cases_case c JOIN organisations_organisation m ON m.id = c.municipality_id
    LEFT JOIN LATERAL (SELECT min(deadline) AS next_deadline, count(*) FILTER (WHERE deadline < %(today)s) AS overdue
                       FROM cases_caseaction WHERE case_id = c.id AND status = 'open') a ON true
    WHERE {where} ORDER BY overdue DESC, a.next_deadline NULLS LAST, c.created_at DESC, c.id DESC LIMIT 25"""
OPEN = "c.status <> 'closed'"
AF_CASES = "c.municipality_id = %(muni)s"
MINE = """c.id IN (SELECT case_id FROM cases_casemember WHERE user_id = %(user)s AND ended_at IS NULL
                   UNION SELECT case_id FROM cases_caseaction WHERE owner_user_id = %(user)s AND status = 'open')"""
REFERRAL_ROWS = """
    SELECT r.uuid, r.status, r.created_at, r.receiver_name, r.receiver_partner_type, r.sender_name, s.reference,
           s.is_acute
    FROM referrals_referral r JOIN intake_signal s ON s.id = r.signal_id
    WHERE {where} ORDER BY r.created_at DESC, r.id DESC LIMIT 25"""
POLICE_REFERRALS = "r.receiver_organisation_id = %(partner_org)s"
MINE_ROWS = """SELECT s.uuid, s.reference, s.status, s.received_at, s.feedback_sent_at FROM intake_signal s
               WHERE s.reporter_id = %(melder)s ORDER BY s.received_at DESC, s.id DESC LIMIT 25"""


def case_sql(where: str) -> list[str]:
    # The count the pager needs, and the page itself.
    return [f"SELECT count(*) FROM cases_case c WHERE {where}", CASE_ROWS.format(where=where)]


def referral_sql(where: str, join: bool = False) -> list[str]:
    source = "referrals_referral r JOIN intake_signal s ON s.id = r.signal_id" if join else "referrals_referral r"
    return [f"SELECT count(*) FROM {source} WHERE {where}", REFERRAL_ROWS.format(where=where)]


def pages(af, casusregisseur, partner, melder, since) -> list[dict]:
    """Every page timed: (name, who, url, marker, hand-written SQL of its data)."""
    tab = "/casussen/?weergave="
    referrals = "/doorverwijzingen/"
    return [
        {"name": "cases AF Lopend", "who": af, "url": "/casussen/", "marker": b'data-testid="cases"',
         "sql": case_sql(f"{AF_CASES} AND {OPEN}"), "group": "cases"},
        {"name": "cases AF Mijn", "who": af, "url": tab + "mine", "marker": b"<h1",
         "sql": case_sql(MINE), "group": "cases"},
        {"name": "cases AF Afgesloten", "who": af, "url": tab + "closed", "marker": b'data-testid="cases"',
         "sql": case_sql(f"{AF_CASES} AND NOT ({OPEN})"), "group": "cases"},
        {"name": "cases AF Alles", "who": af, "url": tab + "all", "marker": b'data-testid="cases"',
         "sql": case_sql(AF_CASES), "group": "cases"},
        {"name": "cases CR Mijn", "who": casusregisseur, "url": "/casussen/", "marker": b'data-testid="cases"',
         "sql": case_sql(MINE), "group": "cases"},
        {"name": "cases CR Lopend", "who": casusregisseur, "url": tab + "open", "marker": b'data-testid="cases"',
         "sql": case_sql(f"c.id IN (SELECT case_id FROM cases_casemember WHERE user_id = %(user)s "
                         f"AND ended_at IS NULL) AND {OPEN}"), "group": "cases"},
        {"name": "cases CR Afgesloten", "who": casusregisseur, "url": tab + "closed",
         "marker": b'data-testid="cases"',
         "sql": case_sql(f"c.id IN (SELECT case_id FROM cases_casemember WHERE user_id = %(user)s "
                         f"AND ended_at IS NULL) AND NOT ({OPEN})"), "group": "cases"},
        {"name": "referrals police", "who": partner, "url": referrals, "marker": b'data-testid="referrals"',
         "sql": referral_sql(POLICE_REFERRALS), "group": "referrals"},
        {"name": "referrals police open", "who": partner, "url": referrals + "?status=open",
         "marker": b'data-testid="referrals"',
         "sql": referral_sql(f"{POLICE_REFERRALS} AND r.status IN ('in_progress', 'accepted')"),
         "group": "referrals"},
        {"name": "referrals police acuut", "who": partner, "url": referrals + "?acute=on",
         "marker": b'data-testid="referrals"', "sql": referral_sql(f"{POLICE_REFERRALS} AND r.is_acute"),
         "group": "referrals"},
        {"name": "referrals police afgerond", "who": partner, "url": referrals + "?status=done",
         "marker": b'data-testid="referrals"', "sql": referral_sql(f"{POLICE_REFERRALS} AND r.status = 'done'"),
         "group": "referrals"},
        {"name": "referrals police 30 dagen", "who": partner,
         "url": referrals + f"?received_from={since.isoformat()}", "marker": b'data-testid="referrals"',
         "sql": referral_sql(f"{POLICE_REFERRALS} AND r.created_at >= %(since)s"), "group": "referrals"},
        {"name": "referrals AF", "who": af, "url": referrals, "marker": b'data-testid="referrals"',
         "sql": referral_sql("r.municipality_id = %(muni)s"), "group": "referrals"},
        {"name": "meldingen melder", "who": melder, "url": "/meldingen/", "marker": b"utrecht-table",
         "sql": ["SELECT count(*) FROM intake_signal s WHERE s.reporter_id = %(melder)s", MINE_ROWS],
         "group": "mine"},
    ]


def warm_capture(client, url: str):
    """The queries of one request right after another to the same page: the session's sliding idle timeout is written
    at most once a minute (core.middleware.SessionRenewalMiddleware), and that write must not count as the page's."""
    client.get(url)
    return capture(client, url)


def hand_median(statements: list[str], params: dict, requests: int, warmup: int) -> float:
    from django.db import connection

    samples = []
    for n in range(warmup + requests):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
        if n >= warmup:
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


# --------------------------------------------------------------------------- the run


def run(args, database_url: str, data_dir: str) -> dict:
    setup_django(database_url, data_dir)
    import random

    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django.utils import timezone

    from meldroute.cases.models import Case
    from meldroute.intake.models import Signal
    from meldroute.referrals.models import Referral

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"migrate: {time.perf_counter() - started:.1f} s")

    rng = random.Random(args.seed)
    history = history_for(args.signals, "history")
    started = time.perf_counter()
    reused = load_region(args.signals)
    if reused is not None:
        municipalities, afs, melders = reused
        partners, people = load_parties()
        log(f"reusing the {args.signals} seeded signals in {args.keep}")
    else:
        municipalities, afs, melders = seed_region()
        partners, people = seed_parties(municipalities, afs)
        seed_signals(0, args.signals, rng, municipalities, afs, melders, history)
        seed_cases_and_referrals(0, municipalities, afs, partners, people)
    seeded = time.perf_counter() - started
    started = time.perf_counter()
    analyze_lists()
    log(f"seed: {args.signals} signals, {Case.objects.count()} cases, {Referral.objects.count()} referrals in "
        f"{seeded:.1f} s; VACUUM + ANALYZE {time.perf_counter() - started:.1f} s")

    largest = municipalities[0]
    af, melder = afs[largest.pk][0], melders[largest.pk][0]
    partner, casusregisseur = people[0], people[2]
    cases = Case.objects.filter(municipality=largest)
    to_police = Referral.objects.filter(receiver_organisation=partners[0])
    log(f"AF {af.username}: {cases.count()} cases in {largest.name}, {cases.exclude(status='closed').count()} open; "
        f"casusregisseur on {casusregisseur.case_memberships.count()}; police: {to_police.count()} referrals, "
        f"{to_police.filter(status__in=['in_progress', 'accepted']).count()} open")

    now = timezone.now()
    today = timezone.localdate()
    since = today - timedelta(days=30)
    params = {"muni": largest.pk, "user": af.pk, "today": today, "partner_org": partners[0].pk,
              "melder": melder.pk, "since": now - timedelta(days=30)}
    clients = {}
    for user in (af, casusregisseur, partner, melder):
        clients[user.pk] = Client()
        clients[user.pk].force_login(user)

    results = []
    for page in pages(af, casusregisseur, partner, melder, since):
        client = clients[page["who"].pk]
        median, p95 = time_page(client, page["url"], args.requests, args.warmup, page["marker"])
        queries = warm_capture(client, page["url"])
        who_params = params | {"user": page["who"].pk}
        sql = hand_median(page["sql"], who_params, args.requests, args.warmup)
        results.append(page | {"median": median, "p95": p95, "queries": queries, "sql_median": sql})
        log(f"{page['name']:27s} {page['url']:42s} median {median:7.1f} ms  p95 {p95:7.1f} ms  "
            f"queries {len(queries):2d}  hand SQL {sql:6.1f} ms  ratio={median / max(sql, 1e-9):.2f}")
        if args.explain:
            explain(queries, tables=LIST_TABLES + ("intake_signal",))
            log("")

    # The query count must not depend on the history: add 10 % more signals (with their cases and referrals).
    extra = max(1, args.signals // 10)
    last_id = Signal.objects.order_by("-id").values_list("id", flat=True).first() or 0
    seed_signals(args.signals, extra, rng, municipalities, afs, melders, history)
    seed_cases_and_referrals(last_id, municipalities, afs, partners, people)
    analyze_lists()
    constant = True
    for result in results:
        grown = warm_capture(clients[result["who"].pk], result["url"])
        if len(grown) != len(result["queries"]):
            constant = False
            log(f"{result['name']}: {len(grown)} queries at {args.signals + extra} signals, "
                f"{len(result['queries'])} at {args.signals}: GROWS WITH N")
    log(f"query count at {args.signals + extra} signals: {'constant' if constant else 'GROWS WITH N'}")
    if args.keep:  # back to exactly N signals, so the next run can reuse the data set
        remove_lists_after(last_id)
        analyze_lists()
    connections.close_all()

    def group_median(group: str, key: str) -> float:
        return statistics.median(r[key] for r in results if r["group"] == group)

    return {"cases_median_ms": group_median("cases", "median"),
            "referrals_median_ms": group_median("referrals", "median"),
            "mine_median_ms": group_median("mine", "median"),
            "sql_median_ms": statistics.median(r["sql_median"] for r in results),
            "median_ms": statistics.median(r["median"] for r in results),
            "queries": max(len(r["queries"]) for r in results), "signals": args.signals, "constant": constant}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=100_000, help="signals to seed (default 100000)")
    parser.add_argument("--port", type=int, default=54353, help="port of the throwaway PostgreSQL (default 54353)")
    parser.add_argument("--database-url", help="use this (empty) database instead of a throwaway one")
    parser.add_argument("--pg-bin", help="PostgreSQL binaries (default: the newest installed)")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up requests per page (default 3)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the data set")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of every page's queries")
    parser.add_argument("--keep", metavar="DIR",
                        help="keep the PostgreSQL cluster in DIR, reuse its data set next time (same --signals)")
    args = parser.parse_args()
    if args.signals < 1 or args.requests < 1:
        parser.error("--signals and --requests must be at least 1")

    results = run_on_postgres(args, run)
    if results is None:
        return 1
    ratio = results["median_ms"] / max(results["sql_median_ms"], 1e-9)
    log(f"cases_median_ms={results['cases_median_ms']:.1f} referrals_median_ms={results['referrals_median_ms']:.1f} "
        f"mine_median_ms={results['mine_median_ms']:.1f} sql_median_ms={results['sql_median_ms']:.1f} "
        f"ratio={ratio:.2f} queries={results['queries']} signals={results['signals']}")
    return 0 if results["constant"] else 1


if __name__ == "__main__":
    sys.exit(main())
