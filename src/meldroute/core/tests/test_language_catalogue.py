"""The English catalogue is complete and stays so: every message translated, none fuzzy, every placeholder kept,
the compiled .mo in step with the .po, no message in the code that the catalogue lacks, and pages a user sees in
English free of common Dutch UI words.

A UI change includes its English text: run scripts/update-translations.sh, translate the new entries in
locale/en/LC_MESSAGES/django.po, run the script again (it compiles django.mo) and commit both files.
"""

import ast
import gettext
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

import meldroute

PACKAGE_DIR = Path(meldroute.__file__).resolve().parent
PO_PATH = PACKAGE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
# The ignores of scripts/update-translations.sh.
MAKEMESSAGES_IGNORE = ["*/tests/*", "*/migrations/*", "static/*"]

# What must survive translation unchanged: Python %-placeholders, str.format fields, HTML tags and entities.
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdifr]|%[sdifr]|%%|\{[A-Za-z_0-9]*\}|</?[A-Za-z][^>]*>|&[A-Za-z0-9#]+;")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return self.msgctxt, self.msgid, self.msgid_plural


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: msgctxt, msgid, msgid_plural, msgstr / msgstr[n] and `#,` flags; obsolete (`#~`) and
    previous (`#|`) lines are comments to it. The header (empty msgid) is left out."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal current
        if current.msgid or current.msgstr or current.msgid_plural:
            entries.append(current)
        current = Entry()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            target = None
            continue
        if line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            assert target is not None, f"{path.name}:{number}: a string without a keyword"
            value = ast.literal_eval(line)
        else:
            value = ast.literal_eval(rest)
            if keyword in ("msgctxt", "msgid") and current.msgstr:
                finish()
            if keyword.startswith("msgstr["):
                target = ("msgstr", int(keyword[7:-1]))
            else:
                target = (keyword, 0)
            if keyword == "msgid":
                current.line = number
        name, index = target
        if name == "msgid":
            current.msgid += value
        elif name == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + value
        elif name == "msgctxt":
            current.msgctxt = (current.msgctxt or "") + value
        elif name == "msgstr":
            current.msgstr[index] = current.msgstr.get(index, "") + value
        else:
            raise AssertionError(f"{path.name}:{number}: unknown keyword {keyword!r}")
    finish()
    return [entry for entry in entries if entry.msgid]


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def edges(text: str) -> tuple[str, str]:
    """Leading and trailing whitespace (spaces, newlines): a translation keeps them."""
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    return parse_po(PO_PATH)


def test_the_reader_understands_plurals_context_flags_and_continuation_lines(tmp_path):
    po = tmp_path / "x.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n\n#, fuzzy, python-format\n#| msgid "oud"\nmsgid ""\n'
                  '"Twee "\n"regels %(n)s"\nmsgstr "Two lines %(n)s"\n\nmsgctxt "maand"\nmsgid "mei"\nmsgstr "May"\n\n'
                  'msgid "%(n)s dag"\nmsgid_plural "%(n)s dagen"\nmsgstr[0] "%(n)s day"\nmsgstr[1] ""\n',
                  encoding="utf-8")
    first, second, third = parse_po(po)
    assert (first.msgid, first.msgstr, first.flags) == ("Twee regels %(n)s", {0: "Two lines %(n)s"},
                                                        {"fuzzy", "python-format"})
    assert (second.msgctxt, second.msgid, second.msgstr) == ("maand", "mei", {0: "May"})
    assert (third.msgid_plural, third.msgstr) == ("%(n)s dagen", {0: "%(n)s day", 1: ""})


def test_the_english_catalogue_has_no_untranslated_and_no_fuzzy_entry(catalogue):
    assert len(catalogue) > 2500, "the whole catalogue was read"
    fuzzy = [f"line {e.line}: {e.msgid[:60]!r}" for e in catalogue if "fuzzy" in e.flags]
    untranslated = [f"line {e.line}: {e.msgid[:60]!r}" for e in catalogue
                    if not e.msgstr or any(not text.strip() for text in e.msgstr.values())
                    or (e.msgid_plural is not None and set(e.msgstr) != {0, 1})]
    assert not fuzzy, "fuzzy entries (check the English, then drop the flag):\n" + "\n".join(fuzzy)
    assert not untranslated, "untranslated entries in django.po:\n" + "\n".join(untranslated)


def test_every_translation_keeps_the_placeholders_tags_and_edges_of_its_msgid(catalogue):
    wrong = []
    for entry in catalogue:
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
        for index, source in enumerate(sources):
            translation = entry.msgstr.get(index, "")
            if placeholders(translation) != placeholders(source):
                wrong.append(f"line {entry.line}: {placeholders(source)} became {placeholders(translation)}")
            if edges(translation) != edges(source):
                wrong.append(f"line {entry.line}: leading/trailing whitespace differs for {source[:50]!r}")
    assert not wrong, "\n".join(wrong)


def test_the_compiled_catalogue_is_the_po_compiled(catalogue):
    """django.mo is committed (installs need no gettext): it must hold exactly what django.po says."""
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in catalogue:
        if entry.msgid_plural is not None:
            got = [compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n) if entry.msgctxt
                   else compiled.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
            expected = [entry.msgstr.get(0), entry.msgstr.get(1)]
        else:
            got = [compiled.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else compiled.gettext(entry.msgid)]
            expected = [entry.msgstr.get(0)]
        if got != expected:
            stale.append(f"line {entry.line}: {entry.msgid[:60]!r}")
    assert not stale, "django.mo is out of date: run scripts/update-translations.sh\n" + "\n".join(stale[:20])


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs Debian's gettext (apt-get install gettext)")
def test_the_catalogue_holds_every_message_of_the_code(tmp_path, monkeypatch, catalogue):
    """makemessages (as scripts/update-translations.sh runs it) into a copy of the source: no new messages. (An
    entry the code no longer has is harmless and the script drops it; it is not checked here.)"""
    source = tmp_path / "meldroute"
    shutil.copytree(PACKAGE_DIR, source, ignore=shutil.ignore_patterns(
        "__pycache__", "tests", "migrations", "static", "locale", "*.mo", "*.po"))
    (source / "locale").mkdir()
    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[str(source / "locale")]):
        call_command("makemessages", locale=["en"], ignore_patterns=MAKEMESSAGES_IGNORE, no_obsolete=True,
                     verbosity=0)
    fresh = {entry.key for entry in parse_po(source / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    committed = {entry.key for entry in catalogue}
    missing = sorted(repr(msgid[:70]) for _, msgid, _ in fresh - committed)
    assert len(fresh) > 2500, "makemessages read the whole source"
    assert not missing, ("messages in the code but not in the English catalogue: run "
                         "scripts/update-translations.sh and translate them\n" + "\n".join(missing))


# --- Pages a user who chose English sees ----------------------------------------------------------------------

# Dutch UI words and phrases that the catalogue translates; none may be left on an English page. (Not words that
# occur in the test data: names, descriptions and route-step titles stay as typed.)
DUTCH_UI_WORDS = [
    "Opslaan", "Toewijzen", "Aan mij toewijzen", "Terugkoppeling geven", "niet verplicht", "Doorverwijzen",
    "Afsluiten", "Annuleren", "Geschiedenis", "Uitloggen", "Zoeken", "Vastleggen", "Toevoegen", "Inbox signalen",
    "Signaal melden", "Mijn meldingen", "Overleggen", "Casussen", "Notificaties", "Wegwijzer", "Ontvangen",
    "Toegewezen aan", "Volgende termijn", "Vorm van uitbuiting", "Verrijking", "Classificatie", "Kenmerk",
    "Periode", "Kerncijfers", "Plan van aanpak", "Casusteam", "Werktitel", "Wie heeft", "Terug naar",
    "Naar de", "Nog geen", "Welkom", "Uw werk", "tot vandaag", "halfjaar", "Per maand", "mrt", "okt",
]
ROUTE = {
    "name": "Test route",
    "steps": [
        {"key": "case", "position": 1, "title": "Open a case", "actor": "af", "action": "open_case"},
        {"key": "feedback", "position": 2, "title": "Feedback to the reporter", "actor": "af", "action": "feedback"},
    ],
}


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "\n", html))


@pytest.fixture
def english_pages(client, world):
    """An AF of municipality A with a signal on a case, and the pages of her day, fetched after choosing English."""
    from tests.factories import make_signal

    from meldroute.cases import services as case_services
    from meldroute.routing import services as routing_services
    from meldroute.triage import services as triage_services
    from meldroute.triage.constants import Assessment

    routing_services.install_route(world.region, ROUTE, actor=world.beheerder)
    signal = make_signal(world.melder_a)
    triage_services.classify_signal(signal, actor=world.af_a, assessment=Assessment.SUSPECTED, forms=["sexual"])
    case = case_services.open_case(actor=world.af_a, signals=[signal], title="Test case title")
    client.force_login(world.af_a)
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    return {
        "start page": "/",
        "inbox": reverse("triage:inbox") + "?weergave=all",
        "signal page": reverse("triage:signal", args=[signal.uuid]),
        "dashboard": reverse("monitoring:dashboard"),
        "case page": reverse("cases:detail", args=[case.uuid]),
        "case list": reverse("cases:list"),
        "meetings": reverse("meetings:list"),
        "referrals": reverse("referrals:list"),
        "report form": reverse("intake:report"),
        "my reports": reverse("intake:mine"),
        "notification settings": reverse("notifications:settings"),
        "policy overview": reverse("policy:overview"),
        "risk map": reverse("risk:index"),
    }


@pytest.mark.clock  # the start page and the dashboard show the day's work and periods
@pytest.mark.django_db
def test_pages_in_english_contain_no_common_dutch_ui_word(client, english_pages):
    for page, url in english_pages.items():
        response = client.get(url, follow=True)
        assert response.status_code == 200, page
        assert response["Content-Language"] == "en", page
        text = visible_text(response.content.decode())
        assert "Meldroute" in text and ("Log out" in text), f"{page} rendered in English"
        left = [word for word in DUTCH_UI_WORDS if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]
        assert not left, f"Dutch left on the {page} in English: {left}"


@pytest.mark.django_db
def test_the_same_pages_in_dutch_do_show_those_words(client, english_pages):
    """The word list is a real check: in Dutch the pages carry several of those words."""
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    text = " ".join(visible_text(client.get(url, follow=True).content.decode()) for url in english_pages.values())
    found = [word for word in DUTCH_UI_WORDS if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]
    assert len(found) >= 20, found
