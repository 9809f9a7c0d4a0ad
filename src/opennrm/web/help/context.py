"""Template context: the help page this page links to ("Help" in the page header)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from opennrm.web.help.areas import area_for


def help_link(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "web":
        return {}
    if match.url_name in ("help_index", "help_page"):
        return {}
    area = area_for(match.url_name)
    if area is None:
        return {"help_url": reverse("web:help_index")}
    return {"help_url": reverse("web:help_page", args=[area.slug]), "help_area": area}
