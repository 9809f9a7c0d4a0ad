"""API of capacity building: the same gate (`access.training`) and queries as the web.

- `GET /trainings/summary/?from=YYYY-MM-DD&to=YYYY-MM-DD` (`training.report`): events held,
  people trained (each person once), law enforcers, the distinct oblasts of participants,
  tables by profession and by sex, knowledge gain, equipment delivered. Exact counts: these are
  counts of trained staff, not of victims (docs/training.md);
- `GET /trainings/` and `GET /trainings/{id}/` (`training.view`): the agency's trainings, with
  counts of participants (no names through the API).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opennrm.access import training as gate
from opennrm.api.context import audit_api, request_actor
from opennrm.api.errors import error_response
from opennrm.core.codes import GENDER, LAW_ENFORCER, PROFESSION, code_list
from opennrm.training import queries
from opennrm.training.models import Training


class PeriodSerializer(serializers.Serializer[Any]):
    to = serializers.DateField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = serializers.DateField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": ["The period must not end before it starts."]})
        return attrs


def summary_payload(summary: queries.Summary) -> dict[str, Any]:
    professions = code_list(PROFESSION)
    enforcing = queries.law_enforcer_professions()
    genders = code_list(GENDER)
    return {
        "period": {"from": summary.start, "to": summary.end},
        "events": summary.events,
        "participants": summary.participants,
        "participations": summary.participations,
        "law_enforcers": summary.law_enforcers,
        "law_enforcer_professions": list(code_list(LAW_ENFORCER).values),
        "oblasts": len(summary.oblasts),
        "oblast_codes": summary.oblasts,
        "by_profession": [
            {
                "code": c.code,
                "name": c.label,
                "law_enforcer": c.code in enforcing,
                "persons": summary.by_profession[c.code],
            }
            for c in professions
        ],
        "by_sex": [
            {"code": code, "name": genders.label(code), "persons": count}
            for code, count in sorted(summary.by_sex.items())
        ],
        "knowledge": {
            "tested": summary.tested,
            "mean_pre": summary.mean_pre,
            "mean_post": summary.mean_post,
            "mean_gain": summary.mean_gain,
        },
        "equipment": {
            "items": summary.equipment_items,
            "value": {k: str(v) for k, v in sorted(summary.equipment_value.items())},
        },
    }


class SummaryView(APIView):
    @extend_schema(
        summary="Capacity building in a period: events, people trained, law enforcers, oblasts",
        parameters=[
            OpenApiParameter("from", str, required=True, description="YYYY-MM-DD"),
            OpenApiParameter("to", str, required=True, description="YYYY-MM-DD"),
        ],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        trainings = gate.trainings_in_scope(actor)
        query = PeriodSerializer(data=request.query_params)
        if not query.is_valid():
            return error_response(
                "invalid_query", "Check the query parameters.", fields=query.errors
            )
        start, end = query.validated_data["from"], query.validated_data["to"]
        summary = queries.summary(trainings, gate.equipment_in_scope(actor), start, end)
        audit_api(
            actor,
            "training.summary_api",
            "statistics",
            purpose="CapacityBuilding",
            **{"from": start.isoformat(), "to": end.isoformat()},
        )
        return Response(summary_payload(summary))


def training_payload(training: Training) -> dict[str, Any]:
    return {
        "id": str(training.id),
        "title": training.title,
        "format": training.format,
        "topics": training.topics,
        "starts_on": training.starts_on,
        "ends_on": training.ends_on,
        "venue_city": training.venue_city,
        "venue_oblast": training.venue_oblast,
        "funder": training.funder,
        "project_code": training.project_code,
        "target_groups": training.target_groups,
        "planned_participants": training.planned_participants,
        "actual_participants": training.participants.count(),
    }


class TrainingListView(APIView):
    @extend_schema(summary="The trainings the caller's agency organised", responses={200: dict})
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        gate.require_view(actor)
        trainings = list(gate.visible_trainings(actor))
        audit_api(actor, "training.listed", "training", count=len(trainings))
        return Response({"results": [training_payload(t) for t in trainings]})


class TrainingDetailView(APIView):
    @extend_schema(
        summary="One training of the caller's agency",
        responses={200: dict},
        operation_id="trainings_detail",
    )
    def get(self, request: Request, training_id: str) -> Response:
        actor = request_actor(request)
        training = gate.get_training_for(actor, training_id)
        audit_api(actor, "training.viewed", "training", training.id)
        return Response(training_payload(training))
