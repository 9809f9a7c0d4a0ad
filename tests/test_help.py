"""Help pages: every area in both languages, every page of the web interface links to its
area's help (which exists), and docs/glossary.md lists every term of the glossary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template.loader import get_template
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.web.help.areas import AREAS, area_for
from opennrm.web.help.glossary import TERMS
from tests.conftest import logged_in

GLOSSARY_DOC = Path(__file__).resolve().parent.parent / "docs" / "glossary.md"
# Addresses that are not pages (files, JSON of the passkey ceremony, a language switch).
NOT_PAGES = {
    "set_language",
    "help_index",
    "help_page",
    "certificate_verify",
    "public_statistics",
}


def _web_names(resolver: URLResolver | None = None, ns: str = "") -> list[str]:
    names = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{ns}{entry.namespace}:" if entry.namespace else ns
            names += _web_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name and ns.startswith("web:"):
            names.append(entry.name)
    return names


@pytest.mark.parametrize("area", [a.slug for a in AREAS])
@pytest.mark.parametrize("language", ["uk", "en"])
def test_every_area_has_help_in_both_languages(area: str, language: str) -> None:
    assert get_template(f"help/{language}/{area}.html")


def test_every_page_of_the_web_interface_belongs_to_a_help_area() -> None:
    """A page added later whose name matches no area links to the help index (also a help
    page); the pages known today each belong to an area."""
    names = [n for n in _web_names() if n not in NOT_PAGES]
    assert len(names) > 100
    unmapped = [n for n in names if area_for(n) is None]
    assert len(unmapped) <= 3, unmapped


def test_pages_map_to_the_right_area() -> None:
    assert area_for("referral_list").slug == "referrals"  # type: ignore[union-attr]
    assert area_for("case_status_procedure").slug == "status"  # type: ignore[union-attr]
    assert area_for("case_detail").slug == "cases"  # type: ignore[union-attr]
    assert area_for("statistics_publish").slug == "statistics"  # type: ignore[union-attr]
    assert area_for("perpetrator_detail").slug == "perpetrators"  # type: ignore[union-attr]
    assert area_for("user_list").slug == "accounts"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("language", "heading", "legal"),
    [
        ("uk", "Правова основа", "Постанова Кабінету Міністрів України від 23.05.2012 № 417"),
        ("en", "Legal basis", "Cabinet of Ministers Resolution No. 417 of 23 May 2012"),
    ],
)
def test_help_page_in_the_language_of_the_interface(
    caseworker: User, language: str, heading: str, legal: str
) -> None:
    client = logged_in(caseworker)
    client.cookies["opennrm-language"] = language
    body = client.get(reverse("web:help_page", args=["status"])).content.decode()
    assert heading in body
    assert legal in body
    term = next(t for t in TERMS if t.key == "certificate")
    assert term.term(language) in body
    assert client.get("/help/nonexistent/").status_code == 404


def test_pages_link_to_their_help(caseworker: User, shevchenko_case: Case) -> None:
    client = logged_in(caseworker)
    for url, area in [
        (reverse("web:case_list"), "cases"),
        (reverse("web:case_detail", args=[shevchenko_case.id]), "cases"),
        (reverse("web:referral_list"), "referrals"),
        (reverse("web:screening_list"), "screening"),
        (reverse("web:provider_list"), "assistance"),
        (reverse("web:security"), "accounts"),
    ]:
        body = client.get(url).content.decode()
        links = re.findall(r'href="([^"]+)" rel="help"', body)
        assert links == [reverse("web:help_page", args=[area])], url
        assert client.get(links[0]).status_code == 200


def test_the_glossary_document_lists_every_term() -> None:
    text = GLOSSARY_DOC.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    for term in TERMS:
        assert any(f"| {term.en} | {term.uk} |" in row for row in rows), term.key
        assert term.source_en in text, term.key


def glossary_rows() -> list[str]:
    """The rows of the glossary table in docs/glossary.md, rendered from `TERMS`."""
    return [
        f"| {t.en} | {t.uk} | {t.definition_en} | {t.source_en} | {', '.join(t.areas)} |"
        for t in TERMS
    ]


def test_the_glossary_table_is_the_list() -> None:
    """The document's first table is exactly `TERMS`, row for row (meanings, sources and areas
    too, no term missing or extra): on a change, paste the rows of the failure message."""
    lines = GLOSSARY_DOC.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| English |")) + 2
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("| "))
    expected = glossary_rows()
    assert lines[start:end] == expected, "\n".join(expected)
