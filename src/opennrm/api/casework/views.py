"""Case work API: the notes of a case (read and write) and its attachments (listed; the file
itself is served by the gated web address). The gate is `access.casework`: hidden case 404, a
note or file shows only where its data category shows; every read audited with ids only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opennrm.access import casework as gate
from opennrm.api.casework.serializers import (
    AttachmentOutSerializer,
    NoteInSerializer,
    NoteOutSerializer,
)
from opennrm.api.context import audit_api, request_actor
from opennrm.api.errors import ERROR, service_error
from opennrm.api.pagination import CasePagination
from opennrm.cases.models import Case
from opennrm.casework import sealing, services
from opennrm.casework.models import Attachment, Note
from opennrm.tenancy.actor import Actor


def _note(note: Note) -> dict[str, Any]:
    return {
        "id": note.id,
        "about": note.about,
        "category": note.category,
        "service": note.service_id,
        "contact_on": note.contact_on,
        "agency": note.agency_id,
        "written_at": note.written_at,
        "text": sealing.open_note(note, note.case.person),
    }


def _attachment(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.id,
        "category": attachment.category,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "consent": attachment.consent_id,
        "agency": attachment.agency_id,
        "uploaded_at": attachment.uploaded_at,
        "title": sealing.attachment_title(attachment),
        "download": reverse("web:attachment_download", kwargs={"attachment_id": attachment.id}),
    }


def _page(
    view: APIView,
    request: Request,
    actor: Actor,
    case: Case,
    rows: QuerySet[Any],
    what: str,
    shape: Callable[[Any], dict[str, Any]],
    serializer: type[serializers.Serializer[Any]],
) -> Response:
    """One page of the case's notes or attachments, its ids audited under `what`."""
    paginator = CasePagination()
    page = paginator.paginate_queryset(rows, request, view) or []
    ids: dict[str, Any] = {what: [str(r.id) for r in page]}
    audit_api(actor, "casework.viewed", "case", case.id, **ids)
    for row in page:
        row.case = case  # opened with the person's key of the case already fetched
    return paginator.get_paginated_response(serializer([shape(r) for r in page], many=True).data)


class CaseNotesView(APIView):
    @extend_schema(
        summary="The notes of a case the caller may read (by their data category)",
        responses={200: NoteOutSerializer(many=True), 403: ERROR, 404: ERROR},
    )
    def get(self, request: Request, case_id: str) -> Response:
        actor = request_actor(request)
        case = gate.get_case(actor, case_id)
        rows = gate.visible_notes(actor, case).order_by("-written_at", "id")
        return _page(self, request, actor, case, rows, "notes", _note, NoteOutSerializer)

    @extend_schema(
        summary="Write a note on the case, a contact or a service, under a data category",
        request=NoteInSerializer,
        responses={201: NoteOutSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def post(self, request: Request, case_id: str) -> Response:
        actor = request_actor(request)
        case = gate.get_case(actor, case_id)
        body = NoteInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        gate.authorize_note(actor, case, d["about"], d["category"])
        try:
            note = services.write_note(
                actor=actor,
                case=case,
                about=d["about"],
                category=d["category"],
                text=d["text"],
                service_id=d["service"],
                contact_on=d["contact_on"],
            )
        except ValidationError as exc:
            return service_error(exc)
        return Response(NoteOutSerializer(_note(note)).data, status=status.HTTP_201_CREATED)


class CaseAttachmentsView(APIView):
    @extend_schema(
        summary="The attachments of a case the caller may read (by their data category)",
        responses={200: AttachmentOutSerializer(many=True), 403: ERROR, 404: ERROR},
    )
    def get(self, request: Request, case_id: str) -> Response:
        actor = request_actor(request)
        case = gate.get_case(actor, case_id)
        rows = gate.visible_attachments(actor, case).order_by("-uploaded_at", "id")
        return _page(
            self, request, actor, case, rows, "attachments", _attachment, AttachmentOutSerializer
        )
