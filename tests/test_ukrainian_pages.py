"""No English on a Ukrainian page outside user data.

Walks every page of the web interface (the URL patterns of the `web` namespace, parameters
filled with the objects of the access test) as users of several roles, in Ukrainian, and fails
on any word in Latin letters that is not user data (agency names, usernames, the planted
values below) and not an allowed name (standards, formats, organisations). A page added later
is walked too: its URL pattern is found by the resolver.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from opennrm.accounts.models import User
from opennrm.tenancy.models import Agency, Membership
from opennrm.training.models import Certificate
from tests.conftest import logged_in
from tests.test_access import _url, objects  # noqa: F401  (the fixture)

# Names that stay in Latin letters in Ukrainian text.
ALLOWED = {
    "OpenNRM",
    "HTCDS",
    "CTDC",
    "CETS",
    "IOM",
    "ISO",
    "ISCED",
    "ISIC",
    "API",
    "PDF",
    "XLSX",
    "CSV",
    "JSON",
    "ZIP",
    "TOTP",
    "QR",
    "POST",
    "KoboToolbox",
    "ODK",
    "Excel",
    "UA",
    "UAH",
    "EUR",
    "USD",
    "EN",  # the language switch: language codes
    "UK",
    "English",  # the language's own name (the report language choice)
    "GRETA",
    "OpenDP",
    "CIMIC",
    "TIP",
    "PIN",
    "HTTPS",
    "JavaScript",
    "CC",  # the HTCDS licence, CC BY 4.0
    "BY",
    "XLSForm",
    "localhost",
    "ID",  # ID-картка, the Ukrainian identity card
    "JPEG",
    "PNG",
    "EET",  # time zone abbreviations after a time
    "EEST",
}
# Technical text a Ukrainian page quotes as it must be typed: the columns of import files,
# codes in an example, a repository's name.
TECHNICAL = [
    "family_name, first_name, middle_name, sex, profession, agency, oblast, days_attended, "
    "pre_score, post_score, feedback_rating",
    "name, description, sex, age, citizenship, language",
    "(UA, MD...)",
    "(uk, ru...)",
    "F або M",
    "UNMigration/HTCDS",
    "крапкою: case.",  # the audit filter's example of an action prefix
    "o.petrenko",  # an example of a username (Latin letters only)
]
ROMAN = re.compile(r"^[IVXLC]+$")
# Values the fixtures plant (user data, shown as typed).
PLANTED = [
    "Synthetic objectives",
    "Detection and documentation (synthetic)",
    "Police of Donetsk oblast (synthetic)",
    "US DoS J/TIP",
    "CT.0999",
    "Odesa",
    "Laptop",
    "agenda.pdf",
    "test passkey",
    "Synthetic note",
    "Active",  # a saved search's name
    "Synthetic",
    "(synthetic)",
    "synthetic",
]
# Not pages: files, the language switch, logging out.
NOT_PAGES = {"set_language", "logout"}

# Scripts, styles and <code> (technical identifiers: an audit action's code, a file's column).
SCRIPT = re.compile(r"<(script|style|code)\b.*?</\1>", re.S | re.I)
ATTRS = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"')
TAG = re.compile(r"<[^>]+>")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
NOT_WORDS = (
    re.compile(r"[\w.+-]+@[\w.-]+"),  # e-mail addresses
    re.compile(r"https?://\S+"),
    re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"),
    re.compile(r"\b[A-Z0-9]{2,}-[A-Z0-9-]+\b"),  # references such as NGO-2016-0001
    re.compile(r"\b[0-9A-F]{8}\b"),  # a case's reference (the first 8 hex digits of its id)
    re.compile(r"\b[A-Z][a-z]+/[A-Z][A-Za-z_]+\b"),  # a time zone's name: Europe/Kyiv
    re.compile(r"[\w-]*\.(?:xlsx|csv|json|pdf|zip)\b", re.I),  # file names, extensions
)


def visible_text(body: str, user_data: list[str]) -> str:
    text = SCRIPT.sub(" ", body)
    attrs = " ".join(ATTRS.findall(text))
    text = html.unescape(TAG.sub(" ", text) + " " + attrs)
    for value in sorted(user_data, key=len, reverse=True):
        text = text.replace(value, " ")
    for pattern in NOT_WORDS:
        text = pattern.sub(" ", text)
    return text


def english_words(text: str) -> list[str]:
    return sorted(
        {
            w
            for w in LATIN_WORD.findall(text)
            if w not in ALLOWED and not ROMAN.match(w) and len(w) > 1
        }
    )


def _web_routes(
    resolver: URLResolver | None = None, prefix: str = "", ns: str = ""
) -> list[tuple[str, str]]:
    routes = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{ns}{entry.namespace}:" if entry.namespace else ns
            routes += _web_routes(entry, prefix + str(entry.pattern), inner)
        elif (
            isinstance(entry, URLPattern)
            and entry.name
            and ns.startswith("web")
            and entry.name not in NOT_PAGES
        ):
            routes.append((entry.name, prefix + str(entry.pattern)))
    return routes


def test_the_text_filter_finds_english_and_spares_user_data() -> None:
    body = (
        '<p title="Filter">Справи <b>NGO Nadiia</b> · HTCDS · Case list</p>'
        "<script>var x = 'hidden';</script>"
    )
    assert english_words(visible_text(body, ["NGO Nadiia"])) == ["Case", "Filter", "list"]


@pytest.mark.django_db
def test_no_english_on_ukrainian_pages(
    objects: dict[str, str],  # noqa: F811
    make_user: Callable[..., User],
) -> None:
    agency = Agency.objects.get(name="NGO Nadiia (synthetic)")
    everyone = make_user("all.roles", agency, "supervisor", "coordinator", "statistician")
    for role in ("agency_admin", "trainer", "sysadmin"):
        Membership.objects.create(user=everyone, agency=agency, role=role)
    others = [u for u in User.objects.exclude(id=everyone.id) if u.memberships.exists()]
    clients = [logged_in(u) for u in [everyone, *others]]
    for client in clients:
        client.cookies["opennrm-language"] = "uk"
    user_data = (
        PLANTED
        + TECHNICAL
        + list(Certificate.objects.values_list("code", flat=True))
        + list(Agency.objects.values_list("name", flat=True))
        + list(User.objects.values_list("username", flat=True))
    )
    objects = {**objects, "area": "cases", "form": "application"}
    found: dict[str, list[str]] = {}
    walked = 0
    for name, route in _web_routes():
        try:
            url = _url(route, objects)
        except AssertionError:
            continue  # a parameter no fixture gives (reported by the access test)
        for client in [Client(), *clients] if "login" in name else clients:
            response = client.get(url)
            if response.status_code != 200:
                continue
            if not response.get("Content-Type", "").startswith("text/html"):
                break
            walked += 1
            words = english_words(visible_text(response.content.decode(), user_data))
            if words:
                found[name] = words
            break
    assert walked > 60
    assert not found, "\n".join(f"{name}: {words}" for name, words in sorted(found.items()))
