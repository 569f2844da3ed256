"""Monitoring pages: who sees which figures, the suppressed regional view, exports and the PDF report."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.factories import make_signal

from meldroute.audit.models import AuditEvent
from meldroute.intake.models import Signal
from meldroute.monitoring import aggregates
from meldroute.triage.models import Classification
from meldroute.triage.services import classify_signal

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def classify(signal, af, forms, sector="", hours=10):
    """Classify through the service (which keeps the signal's copy the dashboards count), then move the moment of
    classification to `hours` after receipt, in the classification and in the signal's copy alike."""
    classify_signal(signal, actor=af, assessment="suspected", forms=forms, sector=sector)
    moment = signal.received_at + timedelta(hours=hours)
    Classification.objects.filter(signal=signal).update(created_at=moment)
    signal.classified_at = moment
    signal.save(update_fields=["classified_at"])  # a save, not update(): the daily rollups follow (rollups app)


def seed(world, municipality_counts):
    """Signals received today: {(melder, af): [(forms, n), ...]}."""
    for (melder, af), spec in municipality_counts.items():
        for forms, n in spec:
            for _ in range(n):
                classify(make_signal(melder), af, forms, sector="hospitality")


@pytest.fixture
def figures(world):
    # A: 3 sexual + 9 labour = 12; B: 8 sexual + 7 labour = 15 (both above the publication threshold of 10).
    seed(world, {(world.melder_a, world.af_a): [(["sexual"], 3), (["labour"], 9)],
                 (world.melder_b, world.af_b): [(["sexual"], 8), (["labour"], 7)]})
    make_signal(world.melder_a, description="Nog niet geclassificeerd.")
    return world


# --------------------------------------------------------------------------- access


@pytest.mark.parametrize("name", ["melder_a", "partner", "ketenregisseur", "zorgcoordinator", "beheerder"])
def test_dashboard_and_reports_are_404_for_other_roles(client, world, name):
    client.force_login(getattr(world, name))
    assert client.get(reverse("monitoring:dashboard")).status_code == 404
    assert client.get(reverse("monitoring:dashboard_csv", args=["form"])).status_code == 404
    assert client.get(reverse("monitoring:report")).status_code == 404
    assert client.post(reverse("monitoring:report"), {"kind": "jaar", "year": timezone.now().year,
                                                      "action": "pdf"}).status_code == 404


@pytest.mark.parametrize("name", ["af_a", "melder_a", "zorgcoordinator", "burgemeester", "partner"])
def test_regional_view_is_404_for_everyone_but_the_ketenregisseur(client, world, name):
    client.force_login(getattr(world, name))
    assert client.get(reverse("monitoring:regional")).status_code == 404
    assert client.get(reverse("monitoring:regional_csv")).status_code == 404


@pytest.mark.parametrize("name", ["af_a", "ketenregisseur", "burgemeester", "procesregisseur"])
def test_comensha_export_is_404_for_everyone_but_the_zorgcoordinator(client, world, name):
    client.force_login(getattr(world, name))
    assert client.get(reverse("monitoring:comensha")).status_code == 404
    assert client.post(reverse("monitoring:comensha"), {"year": timezone.now().year,
                                                        "reason": "Jaarlijkse registratie CoMensha"}).status_code == 404


# --------------------------------------------------------------------------- dashboard


def test_af_dashboard_counts_only_the_own_municipality(client, figures):
    client.force_login(figures.af_a)
    response = client.get(reverse("monitoring:dashboard"))
    assert response.status_code == 200
    d = response.context["d"]
    assert d.signals.total == 13  # 12 classified + 1 not yet, none of B's 15
    assert d.signals.by["form"] == {"sexual": 3, "labour": 9, "unclassified": 1}
    assert d.signals.median_triage_hours == pytest.approx(10, abs=0.1)
    page = response.content.decode()
    assert 'data-testid="figure-form"' in page and "<svg" in page and "<title" in page and "<desc" in page
    assert "Beekstad" not in page


def test_the_previous_period_gets_its_comparison_figures_and_only_its_own_signals(world):
    period = aggregates.Period(timezone.localdate().replace(day=1), timezone.localdate() + timedelta(days=1))
    previous = aggregates.Period(period.start - timedelta(days=60), period.start)

    def received(days_ago, *, acute=False, forms=None, hours=10):
        signal = make_signal(world.melder_a, is_acute=acute)
        signal.received_at = timezone.make_aware(datetime.combine(period.start, time(12))) - timedelta(days=days_ago)
        signal.save(update_fields=["received_at"])
        if forms:
            classify(signal, world.af_a, forms, hours=hours)

    received(0, acute=True, forms=["sexual"], hours=10)  # the period itself (its first day)
    received(10, acute=True, forms=["sexual"], hours=20)  # the previous period ...
    received(20, acute=True, forms=["labour"], hours=30)
    received(30)  # ... unclassified
    received(90, acute=True, forms=["sexual"])  # before both: counted nowhere

    now, before = aggregates.signal_figures_pair([world.a.pk], period, previous)
    assert (now.total, now.acute, now.by["form"]) == (1, 1, {"sexual": 1})
    assert (before.total, before.acute, before.acute_share) == (3, 2, 2 / 3)
    assert before.by["acute"] == {"acute": 2, "regular": 1}
    assert before.median_triage_hours == pytest.approx(25, abs=0.1)  # 20 h and 30 h; the unclassified one has none

    now, before = aggregates.signal_figures_pair([world.a.pk], period, previous, form="sexual")
    assert (now.total, before.total, before.acute) == (1, 1, 1)
    assert before.median_triage_hours == pytest.approx(20, abs=0.1)


def test_dashboard_form_filter_and_burgemeester_sees_the_same(client, figures):
    client.force_login(figures.burgemeester)
    response = client.get(reverse("monitoring:dashboard"), {"vorm": "sexual"})
    assert response.status_code == 200
    assert response.context["d"].signals.total == 3


def test_dashboard_bad_filter_input_is_ignored_not_a_500(client, figures):
    client.force_login(figures.af_a)
    response = client.get(reverse("monitoring:dashboard"), {"periode": "1999-h7", "vorm": "<script>"})
    assert response.status_code == 200
    assert response.context["d"].signals.total == 13  # falls back to the last 12 months, all forms


def test_dashboard_csv_download_has_the_table(client, figures):
    client.force_login(figures.af_a)
    response = client.get(reverse("monitoring:dashboard_csv", args=["form"]))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "Seksuele uitbuiting;3" in text and "Arbeidsuitbuiting;9" in text and "Totaal;13" in text
    assert client.get(reverse("monitoring:dashboard_csv", args=["nope"])).status_code == 404


def test_dashboard_shows_open_cases_and_overdue_actions(client, figures):
    from meldroute.cases.models import Case, CaseAction

    case = Case.objects.create(reference="CS-GM8901-2026-001", title="Nagelsalon", municipality=figures.a,
                               opened_by=figures.af_a)
    CaseAction.objects.create(case=case, description="Bibob-toets", owner_user=figures.af_a, owner_label="AF",
                              deadline=timezone.localdate() - timedelta(days=3), created_by=figures.af_a)
    Case.objects.create(reference="CS-GM8902-2026-001", title="Elders", municipality=figures.b,
                        opened_by=figures.af_b)
    client.force_login(figures.af_a)
    d = client.get(reverse("monitoring:dashboard")).context["d"]
    assert (d.cases.open_cases, d.cases.overdue_actions) == (1, 1)


# --------------------------------------------------------------------------- regional view


def test_regional_view_suppresses_small_cells_and_shows_no_municipal_detail_to_af(client, figures):
    client.force_login(figures.ketenregisseur)
    response = client.get(reverse("monitoring:regional"), {"onderwerp": "form"})
    assert response.status_code == 200
    table = response.context["table"]
    rows = dict(table.rows())
    aadorp = rows["Gemeente Aadorp"]
    sexual = table.columns.index("Seksuele uitbuiting")
    assert aadorp[sexual] == "<5"
    assert aadorp[-1] == "13"  # municipality totals are published (and at least the publication threshold)
    # Complementary suppression: the 3 can't be recovered from the row or column totals.
    assert sum(v in ("<5", "×") for v in aadorp) >= 2
    assert sum(values[sexual] in ("<5", "×") for values in rows.values()) >= 2
    assert "&lt;5" in response.content.decode()


def test_regional_view_offers_only_whole_years_and_fixed_subjects(client, figures):
    client.force_login(figures.ketenregisseur)
    response = client.get(reverse("monitoring:regional"), {"jaar": "1999", "onderwerp": "anything",
                                                           "van": "2026-01-03"})
    assert response.status_code == 200
    assert response.context["table"].year == timezone.localdate().year
    assert response.context["table"].dimension == "form"


def test_regional_export_uses_the_publication_threshold_and_is_audited(client, figures):
    client.force_login(figures.ketenregisseur)
    response = client.get(reverse("monitoring:regional_csv"), {"onderwerp": "form"})
    text = response.content.decode("utf-8-sig")
    assert "<10" in text and ";8;" not in text and ";7;" not in text  # B's 8 and 7 are below 10 now
    event = AuditEvent.objects.get(action="monitoring.regional_export")
    assert event.actor == figures.ketenregisseur and event.details["threshold"] == 10


def test_regional_rows_group_small_municipalities_into_overige(world):
    from meldroute.monitoring.tables import build_regional_table

    seed(world, {(world.melder_a, world.af_a): [(["sexual"], 12)], (world.melder_b, world.af_b): [(["labour"], 2)]})
    table = build_regional_table(world.region, timezone.localdate().year, "form")
    assert table.row_labels == ["Overige gemeenten (2)"]  # B alone would publish its 2
    assert any("Beekstad" in note for note in table.footnotes)


# --------------------------------------------------------------------------- CoMensha export


def test_comensha_export_needs_a_reason_and_keeps_the_input(client, world):
    client.force_login(world.zorgcoordinator)
    response = client.post(reverse("monitoring:comensha"), {"year": timezone.now().year, "reason": ""})
    assert response.status_code == 200
    assert "Geef de reden van deze export" in response.content.decode()
    assert not AuditEvent.objects.filter(action="monitoring.comensha_export").exists()


def test_comensha_export_is_logged_with_field_set_and_reason(client, world):
    client.force_login(world.zorgcoordinator)
    reason = "Jaarlijkse registratie slachtoffers bij CoMensha"
    response = client.post(reverse("monitoring:comensha"), {"year": timezone.now().year, "reason": reason})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("registratiejaar;gemeente;geslacht")
    for forbidden in ("naam", "bsn", "geboortedatum", "adres"):
        assert forbidden not in header
    event = AuditEvent.objects.get(action="monitoring.comensha_export")
    assert event.purpose == reason and "geslacht" in event.fields and event.actor == world.zorgcoordinator


def test_comensha_service_refuses_a_short_reason(world):
    from meldroute.core.exceptions import DomainError
    from meldroute.monitoring.services import export_comensha

    with pytest.raises(DomainError) as refused:
        export_comensha(actor=world.zorgcoordinator, year=timezone.now().year, reason="kort")
    assert refused.value.field == "reason"


# --------------------------------------------------------------------------- reports


def test_af_generates_the_half_yearly_report_as_pdf_with_the_edited_text(client, figures):
    from pypdf import PdfReader

    today = timezone.localdate()
    half = 1 if today.month <= 6 else 2
    client.force_login(figures.af_a)
    page = client.get(reverse("monitoring:report"))
    assert page.status_code == 200 and 'data-testid="report"' in page.content.decode()
    response = client.post(reverse("monitoring:report"), {
        "kind": "halfjaar", "year": today.year, "half": half, "action": "pdf",
        "intro": "Inleiding voor de burgemeester.", "policy": "Het beleid is herijkt in de raad.",
        "execution": "", "case_handling": "", "chain_cooperation": ""})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "Halfjaarrapportage mensenhandel Gemeente Aadorp" in text
    assert "Het beleid is herijkt in de raad." in text and "Inleiding voor de burgemeester." in text
    assert "Ketensamenwerking" in text or "ketensamenwerking" in text
    assert "Seksuele uitbuiting" in text  # the form table (and its chart labels) made it into the PDF
    event = AuditEvent.objects.get(action="monitoring.report_generated")
    assert event.actor == figures.af_a and event.details["kind"] == "halfjaar"


def test_report_on_screen_compares_with_the_previous_period_and_burgemeester_cannot_edit(client, figures):
    for signal in Signal.objects.filter(municipality=figures.a):
        signal.received_at = timezone.now() - timedelta(days=400)
        signal.save(update_fields=["received_at"])
    client.force_login(figures.burgemeester)
    year = timezone.localdate().year
    response = client.get(reverse("monitoring:report"), {"kind": "jaar", "year": year})
    report = response.context["report"]
    assert report.previous.start.year == year - 1
    assert response.context["can_edit"] is False
    assert 'name="policy"' not in response.content.decode()


def test_report_with_a_bad_year_gets_a_field_message(client, figures):
    client.force_login(figures.af_a)
    response = client.post(reverse("monitoring:report"), {"kind": "jaar", "year": "1850", "action": "pdf"})
    assert response.status_code == 200
    assert "Kies een jaar uit de lijst" in response.content.decode()


# --------------------------------------------------------------------------- aggregates


def test_form_partition_groups_rare_forms_and_counts_multiple_once():
    assert aggregates.form_category(["organ_removal"]) == "overig"
    assert aggregates.form_category(["sexual", "labour"]) == "multiple"
    assert aggregates.form_category([]) == "unclassified"
    assert aggregates.comensha_sector_category(["labour"], "begging") == "overig"  # begging is rare by default
    assert aggregates.nationality_category("XX") == "stateless"
    assert aggregates.nationality_category("PL") == "non_nl"


def test_dashboard_query_count_does_not_grow_with_signals(client, figures, django_assert_max_num_queries):
    client.force_login(figures.af_a)
    client.get(reverse("monitoring:dashboard"))
    for _ in range(20):
        make_signal(figures.melder_a)
    with django_assert_max_num_queries(30):
        client.get(reverse("monitoring:dashboard"))


# --------------------------------------------------------------------------- victims


def make_victims(world, municipality, n, *, consent=0, **fields):
    from meldroute.cases.models import Case
    from meldroute.persons.models import Consent, Person

    case = Case.objects.create(reference=f"CS-{municipality.code}-{Case.objects.count() + 1}", title="Casus",
                               municipality=municipality, opened_by=world.af_a)
    people = []
    for k in range(n):
        person = Person.objects.create(case=case, role="victim", letter=chr(65 + k), pseudonym=f"Slachtoffer {k}",
                                       created_by=world.af_a, first_name="Geheime", last_name="Naam", **fields)
        if k < consent:
            Consent.objects.create(person=person, kind="statistics", given=True, given_by="self",
                                   given_on=timezone.localdate(), recorded_by=world.af_a)
        people.append(person)
    return people


def test_victim_figures_are_counts_suppressed_below_the_threshold(client, world):
    make_victims(world, world.a, 7, gender="female", citizenship="RO", age_band="18-22",
                 exploitation_forms=["sexual"])
    make_victims(world, world.a, 2, gender="male", citizenship="NL", age_band="30+", exploitation_forms=["labour"])
    make_victims(world, world.a, 6, gender="unknown")
    make_victims(world, world.b, 6, gender="male")
    client.force_login(world.burgemeester)
    response = client.get(reverse("monitoring:dashboard"))
    rows = dict(response.context["d"].tables["sex"].rows)
    # The 2 men show as "<5"; the smallest other cell is hidden too, or 15 − 7 − 6 would give them away.
    assert rows == {"Vrouw": ["7"], "Man": ["<5"], "Anders / onbekend": ["×"], "Totaal": ["15"]}
    page = response.content.decode()
    assert "Geheime" not in page and "Naam" not in page


def test_comensha_export_lists_only_victims_with_consent_or_a_legal_ground(client, world):
    from meldroute.persons.models import ConsentOverride

    people = make_victims(world, world.a, 3, consent=1, gender="female", citizenship="XX", age_band="minor",
                          exploitation_forms=["criminal"])
    ConsentOverride.objects.create(person=people[1], kind="statistics", legal_ground="vital_interest",
                                   reason="Wettelijke registratieplicht", actor=world.af_a, approver=world.af_a2)
    make_victims(world, world.c, 2, consent=2)  # another region
    client.force_login(world.zorgcoordinator)
    response = client.post(reverse("monitoring:comensha"), {"year": timezone.now().year,
                                                            "reason": "Jaarlijkse registratie CoMensha"})
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 3  # header + consent + legal ground; the third victim has neither
    assert all("Staatloos" in line and "Gedwongen criminaliteit" in line and ";ja;" in line for line in lines[1:])
    assert {line.rsplit(";", 1)[1] for line in lines[1:]} == {"toestemming", "wettelijke grondslag"}
    assert "Geheime" not in response.content.decode()
    event = AuditEvent.objects.get(action="monitoring.comensha_export")
    assert event.details["rows"] == 2 and event.details["without_basis"] == 1
