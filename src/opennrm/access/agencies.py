"""The directory of NRM partners: which agencies an actor may look up (to refer a case, to name
a consent's recipient or a service's provider).

An agency is not personal data: its name, kind and place. Every user who acts for an agency sees
the active agencies; a user without one (no membership, or memberships in two agencies) sees
nothing (404), like every other page of an actor without rights.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency


def directory(actor: Actor) -> QuerySet[Agency]:
    """The active agencies, by name (404 for an actor without an agency)."""
    if actor.agency is None:
        raise Http404
    return Agency.objects.filter(is_active=True).order_by("name", "id")
