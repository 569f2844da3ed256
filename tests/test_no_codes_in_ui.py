"""Issue 14: no codes leak into the Dutch interface ("Vormen van uitbuiting: labour"), and dates read as Dutch dates,
not ISO (1993-12-05). Every demo role walks the pages it can reach from its home, and the visible text of each is
searched for the stored value of any choice in the product whose label differs from it, and for ISO dates."""

import re
from collections import Counter, deque
from enum import EnumType

import pytest
from django.apps import apps
from django.db import models

from meldroute.accounts.models import User

pytestmark = pytest.mark.clock


ROLES = ["af.veenhorst", "melder.veenhorst", "burgemeester.veenhorst", "beheerder", "zorgcoordinator",
         "procesregisseur", "casusregisseur", "ketenregisseur", "partner.politie", "fg.veenhorst"]
PAGES_PER_ROLE = 60
# Downloads, exports, logging out and pages that act are not walked; the API answers JSON.
SKIP = re.compile(r"uitloggen|logout|/api/|/static/|/media/|\.pdf|export|download|bijlage|/csv|\?.*pagina=|"
                  r"/gezondheid/|/oidc/|/admin/|mailto:")
HREF = re.compile(r'href="(/[^"#]*)"')
HIDDEN = re.compile(r"<(script|style|textarea|pre|code|head)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
# Stored values that are also ordinary Dutch words where they appear ("Nog open", "partner", "drugs").
DUTCH_WORDS = {"open", "partner", "drugs", "monitor", "postcodes"}
# The expert YAML editor names its keys on purpose.
EXPERT_PAGES = re.compile(r"^/beheer-meldroute/bewerken/")
ISO_DATE = re.compile(r"(?<![\w/-])(?:19|20)\d\d-[01]\d-[0-3]\d(?![\w/-])")


def _choice_enums() -> list[type[models.Choices]]:
    for config in apps.get_app_configs():
        if config.name.startswith("meldroute."):
            for name in ("constants", "models"):
                try:
                    __import__(f"{config.name}.{name}")
                except ImportError:
                    pass
    found, todo = [], list(models.TextChoices.__subclasses__())
    while todo:
        enum = todo.pop()
        todo.extend(enum.__subclasses__())
        if enum.__module__.startswith("meldroute.") and isinstance(enum, EnumType):
            found.append(enum)
    return found


def code_words() -> dict[str, str]:
    """Stored values that are not words of their own label: "labour" (Arbeidsuitbuiting), "in_progress"."""
    words = {}
    for enum in _choice_enums():
        for value, label in enum.choices:
            text = str(label).lower()
            if (isinstance(value, str) and re.fullmatch(r"[a-z][a-z_]{3,}", value)
                    and not re.search(rf"(?<!\w){re.escape(value.replace('_', ' '))}(?!\w)", text)):
                words[value] = f"{enum.__module__}.{enum.__name__}"
    return {word: where for word, where in words.items() if word not in DUTCH_WORDS}


def visible_text(html: str) -> str:
    return TAG.sub(" ", HIDDEN.sub(" ", html))


UUID_OR_NUMBER = re.compile(r"[0-9a-f]{8}-[0-9a-f-]{27}|\d+")


def walk(client, start: str = "/"):
    """Breadth first from the home, GET only, at most PAGES_PER_ROLE pages and two of each kind (the same address
    but for ids and query), so the walk goes wide rather than through every signal: (url, visible text) per page."""
    seen, queue, pages, kinds = {start}, deque([start]), [], Counter()
    while queue and len(pages) < PAGES_PER_ROLE:
        url = queue.popleft()
        response = client.get(url, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages.append((url, visible_text(html)))
        for href in HREF.findall(html):
            href = href.replace("&amp;", "&")
            kind = UUID_OR_NUMBER.sub("#", href.split("?")[0])
            if href not in seen and not SKIP.search(href) and kinds[kind] < 2:
                seen.add(href)
                kinds[kind] += 1
                queue.append(href)
    return pages


def test_the_code_list_knows_the_leaks_the_issue_named():
    words = code_words()
    assert {"labour", "criminal", "in_progress"} <= set(words)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_no_code_or_iso_date_in_what_a_role_reads(seeded_once, client, username):
    words = code_words()
    pattern = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True))
                         + r")(?![\w-])")
    client.force_login(User.objects.get(username=username))
    pages = walk(client)
    assert len(pages) >= 3, f"{username} reached only {[u for u, _ in pages]}"
    usernames = set(User.objects.values_list("username", flat=True))  # a username is shown as itself
    leaks = [(url, match.group(1), words[match.group(1)], text[max(0, match.start() - 40):match.end() + 20].strip())
             for url, text in pages if not EXPERT_PAGES.match(url)
             for match in pattern.finditer(text) if match.group(1) not in usernames]
    assert not leaks, "\n".join(map(str, leaks[:15]))
    dates = [(url, text[max(0, m.start() - 40):m.end() + 10].strip()) for url, text in pages
             for m in ISO_DATE.finditer(text)]
    assert not dates, "\n".join(map(str, dates[:15]))
