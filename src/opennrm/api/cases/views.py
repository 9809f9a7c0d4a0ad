"""API views: fetch through the access gate, call the same services as the web UI."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from opennrm.access import perpetrators as perpetrator_gate
from opennrm.access import policy, roles
from opennrm.access.fields import IDENTITY
from opennrm.access.scope import field_scope
from opennrm.api.cases import inputs
from opennrm.api.cases.inputs import CaseInSerializer
from opennrm.api.cases.serializers import (
    CaseDetailSerializer,
    CaseListItemSerializer,
    HtcdsImportResultSerializer,
    HtcdsRecordSerializer,
)
from opennrm.api.context import audit_api, request_actor
from opennrm.api.errors import ERROR, error_response, invalid_fields
from opennrm.api.pagination import CasePagination
from opennrm.cases import htcds
from opennrm.cases import queries as case_queries
from opennrm.cases.services import register_case, update_case
from opennrm.people.identity import open_identity
from opennrm.tenancy.actor import Actor


class SearchThrottle(UserRateThrottle):
    scope = "search"

    def allow_request(self, request: Request, view: Any) -> bool:
        if not request.query_params.get("q"):
            return True
        return super().allow_request(request, view)


class CaseListView(APIView):
    throttle_classes = [SearchThrottle]

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Name, Cyrillic or Latin, any order")],
        responses=CaseListItemSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        policy.require(actor, roles.CASE_VIEW)
        q = request.query_params.get("q", "").strip()
        if q:
            policy.require(actor, roles.CASE_SEARCH)
        scope = field_scope(actor)
        # A name search looks only where the identity shows (the web list does the same).
        base = scope.cases_showing(IDENTITY) if q else scope.cases_showing()
        cases = case_queries.filter_cases(base, case_queries.CaseFilters(q=q))
        paginator = CasePagination()
        page = paginator.paginate_queryset(case_queries.with_list_data(cases), request, self)
        total = paginator.page.paginator.count if paginator.page else 0
        rows = list(page or [])
        if q:
            audit_api(actor, "case.searched", results=total)
        audit_api(actor, "case.listed", case_ids=[str(c.id) for c in rows])
        data = CaseListItemSerializer(rows, many=True, context={"scope": scope})  # type: ignore[arg-type]
        return paginator.get_paginated_response(data.data)

    @extend_schema(
        summary="Register a person with a case (the web form's fields and rules)",
        request=CaseInSerializer,
        responses={201: CaseDetailSerializer, 400: ERROR, 403: ERROR},
    )
    def post(self, request: Request) -> Response:
        actor = request_actor(request)
        policy.require(actor, roles.CASE_CREATE)
        body = CaseInSerializer(data=request.data)
        if not body.is_valid():
            return invalid_fields(inputs.flat_errors(body.errors))
        person, facts = inputs.to_inputs(body.validated_data)
        try:
            case = register_case(actor=actor, person=person, case=facts)
        except ValidationError as exc:
            return invalid_fields(inputs.service_errors(exc))
        return Response(_detail(actor, case.id), status=status.HTTP_201_CREATED)


def _detail(actor: Actor, case_id: object) -> dict[str, Any]:
    """The case as its owner sees it after a write."""
    case = policy.get_case_for(
        actor,
        case_id,
        roles.CASE_VIEW,
        queryset=case_queries.with_detail_data(policy.visible_cases(actor)),
    )
    return dict(CaseDetailSerializer(case, context={"scope": field_scope(actor, [case.id])}).data)


class CaseDetailView(APIView):
    @extend_schema(responses=CaseDetailSerializer)
    def get(self, request: Request, case_id: str) -> Response:
        actor = request_actor(request)
        case = policy.get_case_for(
            actor,
            case_id,
            roles.CASE_VIEW,
            queryset=case_queries.with_detail_data(policy.visible_cases(actor)),
        )
        scope = field_scope(actor, [case.id])
        access = policy.case_access(actor, case)
        audit_api(actor, "case.viewed", "case", case.id, purpose=access.purpose)
        return Response(CaseDetailSerializer(case, context={"scope": scope}).data)

    @extend_schema(
        summary="Change a case and its person (needs case.change; the owner agency only)",
        description="The fields sent replace the case's: `person` field by field, `codes` "
        "list by list, any other field whole (send every event to keep it). The result is "
        "checked as the web form checks it; a 400 names each field by its path.",
        request=CaseInSerializer(partial=True),
        responses={200: CaseDetailSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def patch(self, request: Request, case_id: str) -> Response:
        actor = request_actor(request)
        case = policy.get_case_for(
            actor,
            case_id,
            roles.CASE_CHANGE,
            queryset=case_queries.with_detail_data(policy.visible_cases(actor)),
        )
        identity = open_identity(case.person)
        body = CaseInSerializer(data=inputs.merged(inputs.current(case, identity), request.data))
        if not body.is_valid():
            return invalid_fields(inputs.flat_errors(body.errors))
        person, facts = inputs.to_inputs(body.validated_data, identity)
        try:
            update_case(actor=actor, case=case, person=person, facts=facts)
        except ValidationError as exc:
            return invalid_fields(inputs.service_errors(exc))
        return Response(_detail(actor, case.id))


class HtcdsView(APIView):
    @extend_schema(
        summary="Export the caller's visible cases as HTCDS v2.0 records",
        responses=HtcdsRecordSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        policy.require(actor, roles.HTCDS_EXPORT)
        scope = field_scope(actor)
        cases = case_queries.with_detail_data(policy.visible_cases(actor)).order_by(
            "identified_on", "id"
        )
        records = [
            scope.redact(
                case,
                htcds.export_record(
                    case,
                    with_person=scope.shows_person(case),
                    shows=partial(scope.shows_field, case),
                    visible=scope.visible_rows,
                ),
            )
            for case in cases
        ]
        audit_api(
            actor,
            "htcds.exported",
            "agency",
            actor.agency_id,
            records=len(records),
            case_ids=[r["x_ua_CaseId"] for r in records],
        )
        return Response(records)

    @extend_schema(
        summary="Import HTCDS v2.0 records into the caller's agency, all or nothing",
        request=HtcdsRecordSerializer(many=True),
        responses={201: HtcdsImportResultSerializer},
    )
    def post(self, request: Request) -> Response:
        actor = request_actor(request)
        policy.require(actor, roles.HTCDS_IMPORT)
        records = request.data
        if not isinstance(records, list):
            return error_response("not_a_list", _("Send a JSON array of HTCDS records."))
        limit = settings.OPENNRM_HTCDS_IMPORT_MAX_RECORDS
        if len(records) > limit:
            return error_response(
                "too_many_records",
                _("At most %(n)d records per request.") % {"n": limit},
            )
        try:
            imported = htcds.import_records(
                actor=actor, records=records, writable=perpetrator_gate.htcds_writable(actor)
            )
        except htcds.HtcdsImportError as exc:
            return error_response(
                "invalid_records",
                ngettext(
                    "%(n)d record is invalid; nothing was imported.",
                    "%(n)d records are invalid; nothing was imported.",
                    len(exc.problems),
                )
                % {"n": len(exc.problems)},
                records=[{"index": p.index, "fields": p.fields} for p in exc.problems],
            )
        return Response(
            {
                "imported": len(imported),
                "case_ids": [str(i.case.id) for i in imported],
                "records": [
                    {
                        "index": index,
                        "x_ua_CaseId": str(i.case.id),
                        "x_ua_IdentifiedOn": i.case.identified_on.isoformat(),
                        "identified_from": i.identified_from,
                        "not_kept": list(i.not_kept),
                    }
                    for index, i in enumerate(imported)
                ],
            },
            status=status.HTTP_201_CREATED,
        )
