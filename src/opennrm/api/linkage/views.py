"""Record-linkage API: the review queue, a pair side by side, a reviewer's decision.

The same gate as the web pages (`access.linkage`): the queue and pairs need `linkage.review`
(everyone else gets 404: a pair is national), a decision `linkage.merge` (403). Every view of a
pair is audited, and a decision goes through `linkage.services.decide` ("same person" merges).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opennrm.access import linkage as gate
from opennrm.access import roles
from opennrm.api.context import request_actor
from opennrm.api.errors import ERROR, invalid_fields, service_error
from opennrm.api.linkage.serializers import DecisionInSerializer, PairSerializer, QueueRowSerializer
from opennrm.api.pagination import CasePagination
from opennrm.linkage import queries, services
from opennrm.linkage.models import CandidatePair
from opennrm.people.identity import open_identity
from opennrm.people.models import Person
from opennrm.reports import facts

SHOW = ["", "automatic", "held_apart", *CandidatePair.Decision.values]


def _probability(request: Request, name: str, errors: dict[str, list[str]]) -> float | None:
    text = request.query_params.get(name, "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        errors[name] = [_("Give a number from 0 to 1.")]
        return None
    return value


class QueueView(APIView):
    @extend_schema(
        summary="The review queue of possible matches (needs linkage.review)",
        parameters=[
            OpenApiParameter(
                "show",
                str,
                enum=SHOW,
                description='"" the pairs a person must decide (default); "automatic" the '
                'undecided pairs at or above the match threshold; "held_apart" those of them the '
                "count takes as two persons (503 while the count is brought up to date on a "
                "large register); or a decision",
            ),
            OpenApiParameter("min_probability", float, description="from 0 to 1"),
            OpenApiParameter("max_probability", float, description="from 0 to 1"),
        ],
        responses={200: QueueRowSerializer(many=True), 400: ERROR, 404: ERROR, 503: ERROR},
    )
    def get(self, request: Request) -> Response:
        gate.require_queue(request_actor(request))
        errors: dict[str, list[str]] = {}
        show = request.query_params.get("show", "")
        if show not in SHOW:
            errors["show"] = [_("Not a choice of the queue.")]
        low = _probability(request, "min_probability", errors)
        high = _probability(request, "max_probability", errors)
        if errors:
            return invalid_fields(errors)
        pairs = facts.review_queue(show=show, min_probability=low, max_probability=high)
        if pairs is None:
            return Response(
                {"detail": _("The count of persons is being brought up to date; try again.")},
                status=503,
                headers={"Retry-After": "60"},
            )
        paginator = CasePagination()
        page = paginator.paginate_queryset(pairs, request, self)
        together = queries.counted_as_one(page or [])
        rows = QueueRowSerializer(
            page or [],  # type: ignore[arg-type]
            many=True,
            context={"counted_as_one": together},
        )
        return paginator.get_paginated_response(rows.data)


def _side(person: Person) -> dict[str, Any]:
    identity = open_identity(
        person, columns=("first_name", "middle_name", "family_name", "birth_date")
    )
    values: dict[str, Any] = {
        "agency": person.agency.name,
        "registered": person.created_at.date().replace(day=1),
        "first_name": identity.first_name,
        "middle_name": identity.middle_name,
        "family_name": identity.family_name,
        "birth_date": identity.birth_date.isoformat(),
        "gender": person.gender,
        "citizenships": person.citizenships,
    }
    shown = {*gate.PAIR_FIELDS, "agency", "registered"}
    return {k: v for k, v in values.items() if k in shown}


def _pair(pair: CandidatePair) -> SimpleNamespace:
    persons = Person.objects.select_related("agency").in_bulk([pair.left_id, pair.right_id])
    return SimpleNamespace(
        **{
            "id": pair.id,
            "probability": pair.probability,
            "weight": pair.weight,
            "decision": pair.decision,
            "decided_at": pair.decided_at,
            "explanation": pair.explanation,
            "left": _side(persons[pair.left_id]),
            "right": _side(persons[pair.right_id]),
        }
    )


class PairView(APIView):
    @extend_schema(
        summary="A candidate pair side by side (needs linkage.review; each view audited)",
        responses={200: PairSerializer, 404: ERROR},
    )
    def get(self, request: Request, pair_id: str) -> Response:
        actor = request_actor(request)
        pair = gate.get_pair_for(actor, pair_id)
        services.record_pair_view(actor, pair)
        together = queries.counted_as_one([pair])
        shown = PairSerializer(_pair(pair), context={"counted_as_one": together})  # type: ignore[arg-type]
        return Response(shown.data)


class DecisionView(APIView):
    @extend_schema(
        summary='Decide a pair: "same" merges the two registrations, leaving "same" unmerges',
        request=DecisionInSerializer,
        responses={200: QueueRowSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def post(self, request: Request, pair_id: str) -> Response:
        actor = request_actor(request)
        pair = gate.get_pair_for(actor, pair_id, roles.LINKAGE_MERGE)
        body = DecisionInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            pair = services.decide(actor=actor, pair=pair, decision=body.validated_data["decision"])
        except ValidationError as exc:
            return service_error(exc)
        together = queries.counted_as_one([pair])
        return Response(QueueRowSerializer(pair, context={"counted_as_one": together}).data)
