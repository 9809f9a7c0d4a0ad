"""`GET /api/v1/stats/?from=YYYY-MM-DD&to=YYYY-MM-DD[&oblast=UA-NN][&agency_kind=KIND]`: the
dashboard's figures as JSON, scoped like the dashboard and always protected (they leave the
system): small cells withheld (null), counts rounded."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opennrm.access import policy
from opennrm.access import statistics as gate
from opennrm.access import training as training_gate
from opennrm.accounts.models import User
from opennrm.api.errors import error_response
from opennrm.audit.services import record
from opennrm.core.codes import AGENCY_KIND, code_list
from opennrm.core.disclosure import configured_threshold, protect
from opennrm.reports.indicators import Filters, compute


class StatsQuerySerializer(serializers.Serializer[Any]):
    # "from" is a Python keyword: declared below under its public name.
    to = serializers.DateField()
    oblast = serializers.ChoiceField(choices=[], required=False, allow_blank=True)
    agency_kind = serializers.ChoiceField(choices=[], required=False, allow_blank=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = serializers.DateField()
        self.fields["oblast"].choices = [c.code for c in code_list("oblast").codes]  # type: ignore[attr-defined]
        self.fields["agency_kind"].choices = [c.code for c in code_list(AGENCY_KIND).codes]  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": ["The period must not end before it starts."]})
        return attrs


class RowSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField(help_text="the category's label in the request's language")
    persons = serializers.IntegerField(allow_null=True, help_text="null: withheld")


class TableSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    total = serializers.IntegerField(allow_null=True)
    overlapping = serializers.BooleanField()
    rows = RowSerializer(many=True)


class StatsSerializer(serializers.Serializer[Any]):
    period = serializers.DictField(child=serializers.DateField())
    scope = serializers.ChoiceField(choices=["national", "agency"])
    persons = serializers.IntegerField(allow_null=True)
    rounded_to = serializers.IntegerField()
    threshold = serializers.IntegerField()
    tables = TableSerializer(many=True)


class StatsView(APIView):
    @extend_schema(
        summary="Indicators for a period (persons, not registrations), protected",
        parameters=[
            OpenApiParameter("from", str, required=True, description="YYYY-MM-DD"),
            OpenApiParameter("to", str, required=True, description="YYYY-MM-DD"),
            OpenApiParameter("oblast", str, description="oblast of identification, UA-NN"),
            OpenApiParameter("agency_kind", str, description="identifying agency kind"),
        ],
        responses={200: StatsSerializer},
    )
    def get(self, request: Request) -> Response:
        assert isinstance(request.user, User)
        actor = policy.actor_of(request.user)
        cases = gate.cases_in_scope(actor)
        query = StatsQuerySerializer(data=request.query_params)
        if not query.is_valid():
            return error_response(
                "invalid_query", "Check the query parameters.", fields=query.errors
            )
        d = query.validated_data
        filters = Filters(d["from"], d["to"], d.get("oblast", ""), d.get("agency_kind", ""))
        indicators = compute(
            cases,
            filters,
            gate.proceedings_in_scope(actor),
            training_gate.statistics_scope(actor),
            national=gate.is_national(actor),
        )
        audience = gate.audience(actor, leaving=True)
        headline = protect([("persons", indicators.persons)], indicators.persons, audience=audience)
        tables = []
        for table in indicators.tables:
            protected = protect(
                [(row.code, row.count) for row in table.rows], table.total, audience=audience
            )
            tables.append(
                {
                    "key": table.key,
                    "title": str(table.title),
                    "total": protected.total,
                    "overlapping": table.overlapping,
                    "rows": [
                        {"code": row.code, "name": str(row.label), "persons": cell.count}
                        for row, cell in zip(table.rows, protected.cells, strict=True)
                    ],
                }
            )
        record(
            action="stats.api",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="statistics",
            detail={"from": filters.start.isoformat(), "to": filters.end.isoformat()},
        )
        return Response(
            {
                "period": {"from": filters.start, "to": filters.end},
                "scope": "national" if gate.is_national(actor) else "agency",
                "persons": headline.cells[0].count,
                "rounded_to": headline.rounded_to,
                "threshold": configured_threshold(),
                "tables": tables,
            }
        )
