"""Help pages: one per area, in the language of the interface (no personal data, no login)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from opennrm.web.help.areas import AREAS, BY_SLUG
from opennrm.web.help.glossary import TERMS, Term, terms_for


def _language() -> str:
    return "en" if (get_language() or "uk").startswith("en") else "uk"


def _glossary(terms: Iterable[Term], language: str) -> list[dict[str, str]]:
    """The glossary rows a help page shows, in its language."""
    return [
        {
            "term": t.term(language),
            "definition": t.definition(language),
            "source": t.source(language),
        }
        for t in terms
    ]


@login_required
def help_index(request: HttpRequest) -> HttpResponse:
    language = _language()
    return render(
        request,
        "help/index.html",
        {"areas": AREAS, "glossary": _glossary(TERMS, language), "language": language},
    )


@login_required
def help_page(request: HttpRequest, area: str) -> HttpResponse:
    if area not in BY_SLUG:
        raise Http404
    language = _language()
    return render(
        request,
        "help/page.html",
        {
            "area": BY_SLUG[area],
            "areas": AREAS,
            "content": f"help/{language}/{area}.html",
            "glossary": _glossary(terms_for(area), language),
        },
    )
