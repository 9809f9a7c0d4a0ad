"""API of the criminal-justice chain: the same gate (`access.justice`) and services as the web.

`GET/POST /proceedings/`, `GET /proceedings/{id}/`, one `POST /proceedings/{id}/<action>/` per
step of the stage table, and one POST per record (participants, suspects, hearings, judgments,
qualification, protection, compensation, non-punishment): 200/201 with the proceeding or the
record, 400 with `fields` for bad input, 403 for the wrong side, 404 when hidden, 409
`illegal_transition` when the stage does not allow the step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opennrm.access import justice as gate
from opennrm.access.roles import PROCEEDING_VIEW
from opennrm.api.context import audit_api, request_actor
from opennrm.api.errors import invalid_fields, service_error
from opennrm.api.justice import serializers as js
from opennrm.api.pagination import CasePagination
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.core.workflow import IllegalTransition
from opennrm.justice import queries, services
from opennrm.justice import workflow as wf
from opennrm.justice.models import (
    Participant,
    Proceeding,
    Suspect,
)
from opennrm.justice.suspects import SuspectIdentity
from opennrm.tenancy.actor import Actor

PURPOSE = gate.PURPOSE


def _responses(ok: Any, code: int = 200) -> dict[int, Any]:
    return {
        code: ok,
        400: OpenApiResponse(
            js.JusticeErrorSerializer, description="Invalid input: `fields` names them."
        ),
        403: OpenApiResponse(
            js.JusticeErrorSerializer,
            description="Permission missing, or the step is another side's.",
        ),
        404: OpenApiResponse(js.JusticeErrorSerializer, description="Not visible to the caller."),
        409: OpenApiResponse(
            js.JusticeErrorSerializer,
            description="`illegal_transition`: not possible at this stage.",
        ),
    }


def perform(
    request: Request,
    input_class: type[serializers.Serializer[Any]],
    call: Callable[[dict[str, Any]], Any],
    present: Callable[[Any], Any],
    *,
    created: bool = False,
    rename: dict[str, str] | None = None,
) -> Response:
    """Validate the input (400), call the service, answer 409 for an illegal step, 400 with the
    fields for a refused input, else the result (201 for a new record)."""
    data = input_class(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        result = call(dict(data.validated_data))
    except (IllegalTransition, ValidationError) as exc:
        return service_error(exc, rename)
    return Response(
        present(result), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
    )


def _detail(actor: Actor, proceeding: Proceeding) -> dict[str, Any]:
    fresh = queries.with_detail_data(Proceeding.objects.filter(pk=proceeding.pk)).get()
    return js.ProceedingSerializer(fresh, context={"actor": actor}).data


def _fetch(actor: Actor, proceeding_id: object, write: str = "") -> Proceeding:
    """The proceeding (404 when hidden); with `write`, 403 unless the caller's side records it."""
    proceeding = gate.get_proceeding_for(actor, proceeding_id)
    if write:
        gate.authorize_write(actor, proceeding, write)
    return proceeding


def _one(queryset: Any, object_id: object, field: str, message: str) -> Any:
    """A record of the proceeding named in the body (else a 400 naming the field)."""
    item = queryset.filter(id=object_id).first()
    if item is None:
        raise ValidationError({field: [message]})
    return item


# --- list, create, detail --------------------------------------------------------------------


class ProceedingListView(APIView):
    @extend_schema(
        summary="Proceedings of the caller's unit, prosecutor's office or court",
        parameters=[
            OpenApiParameter("stage", str, enum=list(wf.STATES), required=False),
            OpenApiParameter("article", str, required=False, description="cc_article code"),
            OpenApiParameter(
                "overdue",
                bool,
                required=False,
                description="Only those past the investigation term (CPC art. 219).",
            ),
        ],
        responses={200: js.ProceedingRowSerializer(many=True), 403: js.JusticeErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        if not gate.can_view(actor):
            raise PermissionDenied(PROCEEDING_VIEW)
        params = request.query_params
        stage, article = params.get("stage", ""), params.get("article", "")
        overdue = params.get("overdue", "")
        fields: dict[str, list[str]] = {}
        if stage and stage not in wf.STATES:
            fields["stage"] = [f"One of: {', '.join(wf.STATES)}."]
        if article and article not in code_list(codes.CC_ARTICLE):
            fields["article"] = ["A code of the list cc_article."]
        if overdue not in ("", "true", "false"):
            fields["overdue"] = ["true or false."]
        if fields:
            return invalid_fields(fields)
        today = timezone.localdate()
        filters = queries.ProceedingFilters(stage=stage, article=article, overdue=overdue == "true")
        proceedings = queries.with_list_data(
            queries.filter_proceedings(gate.visible_proceedings(actor), filters, today), today
        ).order_by("-registered_on", "erdr_number", "id")
        paginator = CasePagination()
        page = paginator.paginate_queryset(proceedings, request, self) or []
        audit_api(
            actor,
            "proceeding.listed",
            "proceeding",
            purpose=PURPOSE,
            proceeding_ids=sorted(str(p.id) for p in page),
        )
        rows = js.ProceedingRowSerializer(page, many=True)  # type: ignore[arg-type]
        return paginator.get_paginated_response(rows.data)

    @extend_schema(
        summary="Register a proceeding in the caller's unit (investigators)",
        request=js.RegisterProceedingSerializer,
        responses=_responses(js.ProceedingSerializer, 201),
    )
    def post(self, request: Request) -> Response:
        actor = request_actor(request)
        gate.require_create(actor)
        return perform(
            request,
            js.RegisterProceedingSerializer,
            lambda d: services.register_proceeding(actor=actor, **d),
            lambda p: _detail(actor, p),
            created=True,
        )


class ProceedingDetailView(APIView):
    @extend_schema(
        summary="A proceeding with its qualification history, steps, participants, suspects, "
        "hearings and judgments",
        responses={200: js.ProceedingSerializer, 404: js.JusticeErrorSerializer},
    )
    def get(self, request: Request, proceeding_id: str) -> Response:
        actor = request_actor(request)
        proceeding = _fetch(actor, proceeding_id)
        audit_api(actor, "proceeding.viewed", "proceeding", proceeding.id, purpose=PURPOSE)
        return Response(_detail(actor, proceeding))


# --- the stage table -------------------------------------------------------------------------


def _transition_endpoint(action: str) -> type[APIView]:
    transition = wf.WORKFLOW.transition(action)
    input_class = js.INPUTS[action]

    class TransitionView(APIView):
        @extend_schema(
            operation_id=f"proceeding_{action}",
            summary=str(transition.label),
            request=input_class,
            responses=_responses(js.ProceedingSerializer),
        )
        def post(self, request: Request, proceeding_id: str) -> Response:
            actor = request_actor(request)
            proceeding = gate.get_proceeding_for(actor, proceeding_id, transition.permission)
            return perform(
                request,
                input_class,
                lambda d: services.advance(actor=actor, proceeding=proceeding, action=action, **d),
                lambda p: _detail(actor, p),
            )

    TransitionView.__name__ = TransitionView.__qualname__ = (
        "Proceeding" + "".join(p.title() for p in action.split("_")) + "View"
    )
    return TransitionView


TRANSITION_VIEWS = {t.action: _transition_endpoint(t.action) for t in wf.WORKFLOW.transitions}


# --- records ---------------------------------------------------------------------------------


class RequalifyView(APIView):
    @extend_schema(
        summary="Change the legal qualification from a date (the history keeps every one)",
        request=js.RequalifySerializer,
        responses=_responses(js.ProceedingSerializer),
    )
    def post(self, request: Request, proceeding_id: str) -> Response:
        actor = request_actor(request)
        proceeding = _fetch(actor, proceeding_id, "requalify")
        return perform(
            request,
            js.RequalifySerializer,
            lambda d: services.requalify(actor=actor, proceeding=proceeding, **d),
            lambda p: _detail(actor, p),
        )


class ParticipantsView(APIView):
    @extend_schema(
        summary="Add a victim or witness through their case (owned, or shared for "
        "CriminalProceedings)",
        request=js.ParticipantInputSerializer,
        responses=_responses(js.ParticipantSerializer, 201),
    )
    def post(self, request: Request, proceeding_id: str) -> Response:
        actor = request_actor(request)
        proceeding = _fetch(actor, proceeding_id, "participant")

        def call(d: dict[str, Any]) -> Participant:
            case_id = d.pop("case_id")
            try:
                case = gate.get_case_to_link(actor, case_id)
            except Http404:
                raise ValidationError({"case_id": ["No case you can see has this id."]}) from None
            except PermissionDenied:
                raise ValidationError(
                    {
                        "case_id": [
                            "This case is neither your agency's nor shared with it for "
                            "criminal proceedings."
                        ]
                    }
                ) from None
            return services.add_participant(actor=actor, proceeding=proceeding, case=case, **d)

        return perform(
            request,
            js.ParticipantInputSerializer,
            call,
            lambda p: js.ParticipantSerializer(p).data,
            created=True,
            rename={"case": "case_id"},
        )


class SuspectsView(APIView):
    @extend_schema(
        summary="Record a suspect (the identity is encrypted; shown only with suspect.view)",
        request=js.SuspectInputSerializer,
        responses=_responses(js.SuspectSerializer, 201),
    )
    def post(self, request: Request, proceeding_id: str) -> Response:
        actor = request_actor(request)
        proceeding = _fetch(actor, proceeding_id, "suspect")

        def call(d: dict[str, Any]) -> Suspect:
            identity = SuspectIdentity(
                family_name=d.pop("family_name").strip(),
                first_name=d.pop("first_name").strip(),
                middle_name=d.pop("middle_name").strip(),
                birth_date=d.pop("birth_date"),
                aliases=[a.strip() for a in d.pop("aliases") if a.strip()],
            )
            return services.add_suspect(actor=actor, proceeding=proceeding, identity=identity, **d)

        return perform(
            request,
            js.SuspectInputSerializer,
            call,
            lambda s: js.SuspectSerializer(s, context={"actor": actor}).data,
            created=True,
        )


class HearingsView(APIView):
    @extend_schema(
        summary="Schedule a hearing (the court, once the indictment is in court)",
        request=js.HearingInputSerializer,
        responses=_responses(js.HearingSerializer, 201),
    )
    def post(self, request: Request, proceeding_id: str) -> Response:
        actor = request_actor(request)
        proceeding = _fetch(actor, proceeding_id, "hearing")
        return perform(
            request,
            js.HearingInputSerializer,
            lambda d: services.schedule_hearing(actor=actor, proceeding=proceeding, **d),
            lambda h: js.HearingSerializer(h).data,
            created=True,
        )


class HearingOutcomeView(APIView):
    @extend_schema(
        summary="Record the outcome of a hearing",
        request=js.HearingOutcomeSerializer,
        responses=_responses(js.HearingSerializer),
    )
    def post(self, request: Request, proceeding_id: str, hearing_id: str) -> Response:
        actor = request_actor(request)
        hearing = gate.get_hearing_for(actor, proceeding_id, hearing_id)
        return perform(
            request,
            js.HearingOutcomeSerializer,
            lambda d: services.record_hearing(actor=actor, hearing=hearing, **d),
            lambda h: js.HearingSerializer(h).data,
        )


class JudgmentsView(APIView):
    @extend_schema(
        summary="Record the judgment on one accused (conviction or acquittal, sentence)",
        request=js.JudgmentInputSerializer,
        responses=_responses(js.JudgmentSerializer, 201),
    )
    def post(self, request: Request, proceeding_id: str) -> Response:
        actor = request_actor(request)
        proceeding = _fetch(actor, proceeding_id, "judgment")

        def call(d: dict[str, Any]) -> Any:
            suspect = _one(
                proceeding.suspects.all(),
                d.pop("suspect_id"),
                "suspect_id",
                "No suspect of this proceeding has this id.",
            )
            return services.record_judgment(
                actor=actor, proceeding=proceeding, suspect=suspect, **d
            )

        return perform(
            request,
            js.JudgmentInputSerializer,
            call,
            lambda j: js.JudgmentSerializer(j).data,
            created=True,
            rename={"suspect": "suspect_id"},
        )


def _participant(proceeding: Proceeding, d: dict[str, Any]) -> Participant:
    participant: Participant = _one(
        proceeding.participants.select_related("case", "proceeding"),
        d.pop("participant_id"),
        "participant_id",
        "No participant of this proceeding has this id.",
    )
    return participant


class ProtectionView(APIView):
    @extend_schema(
        summary="Record a request for protection of a participant (Law No. 3782-XII)",
        request=js.ProtectionInputSerializer,
        responses=_responses(js.ProtectionSerializer, 201),
    )
    def post(self, request: Request, proceeding_id: str) -> Response:
        actor = request_actor(request)
        proceeding = _fetch(actor, proceeding_id, "protection")
        return perform(
            request,
            js.ProtectionInputSerializer,
            lambda d: services.request_protection(
                actor=actor, participant=_participant(proceeding, d), **d
            ),
            lambda m: js.ProtectionSerializer(m).data,
            created=True,
        )


class ProtectionDecisionView(APIView):
    @extend_schema(
        summary="Grant or refuse a protection measure",
        request=js.ProtectionDecisionSerializer,
        responses=_responses(js.ProtectionSerializer),
    )
    def post(self, request: Request, proceeding_id: str, protection_id: str) -> Response:
        actor = request_actor(request)
        measure = gate.get_protection_for(actor, proceeding_id, protection_id)
        return perform(
            request,
            js.ProtectionDecisionSerializer,
            lambda d: services.decide_protection(actor=actor, measure=measure, **d),
            lambda m: js.ProtectionSerializer(m).data,
        )


class CompensationView(APIView):
    @extend_schema(
        summary="Record compensation claimed by a participant (amounts claimed, awarded, paid)",
        request=js.CompensationInputSerializer,
        responses=_responses(js.CompensationSerializer, 201),
    )
    def post(self, request: Request, proceeding_id: str) -> Response:
        actor = request_actor(request)
        proceeding = _fetch(actor, proceeding_id, "compensation")
        return perform(
            request,
            js.CompensationInputSerializer,
            lambda d: services.record_compensation(
                actor=actor, participant=_participant(proceeding, d), **d
            ),
            lambda c: js.CompensationSerializer(c).data,
            created=True,
        )


class NonPunishmentView(APIView):
    @extend_schema(
        summary="Record a request to release a victim from liability (CoE Convention art. 26)",
        request=js.NonPunishmentInputSerializer,
        responses=_responses(js.NonPunishmentSerializer, 201),
    )
    def post(self, request: Request, proceeding_id: str) -> Response:
        actor = request_actor(request)
        proceeding = _fetch(actor, proceeding_id, "non_punishment")
        return perform(
            request,
            js.NonPunishmentInputSerializer,
            lambda d: services.record_non_punishment(
                actor=actor, case=_participant(proceeding, d).case, proceeding=proceeding, **d
            ),
            lambda r: js.NonPunishmentSerializer(r).data,
            created=True,
        )


class NonPunishmentDecisionView(APIView):
    @extend_schema(
        summary="Record the outcome of a request for release from liability",
        request=js.NonPunishmentDecisionSerializer,
        responses=_responses(js.NonPunishmentSerializer),
    )
    def post(self, request: Request, proceeding_id: str, non_punishment_id: str) -> Response:
        actor = request_actor(request)
        item = gate.get_non_punishment_for(actor, proceeding_id, non_punishment_id)
        return perform(
            request,
            js.NonPunishmentDecisionSerializer,
            lambda d: services.decide_non_punishment(actor=actor, request=item, **d),
            lambda r: js.NonPunishmentSerializer(r).data,
        )
