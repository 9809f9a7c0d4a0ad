"""Case work API: the notes of a case (read and write) and its attachments (listed; the file
itself is served by the gated web address). The gate is `access.casework`: hidden case 404, a
note or file shows only where its data category shows; every read audited with ids only."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
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
from opennrm.casework import sealing, services
from opennrm.casework.models import Attachment, Note


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
        "title": sealing.open_attachment(attachment, attachment.case.person, "title").decode(),
        "download": reverse("web:attachment_download", kwargs={"attachment_id": attachment.id}),
    }


class CaseNotesView(APIView):
    @extend_schema(
        summary="The notes of a case the caller may read (by their data category)",
        responses={200: NoteOutSerializer(many=True), 403: ERROR, 404: ERROR},
    )
    def get(self, request: Request, case_id: str) -> Response:
        actor = request_actor(request)
        case = gate.get_case(actor, case_id)
        paginator = CasePagination()
        page = paginator.paginate_queryset(
            gate.visible_notes(actor, case).order_by("-written_at", "id"), request, self
        )
        rows = page or []
        audit_api(actor, "casework.viewed", "case", case.id, notes=[str(n.id) for n in rows])
        for note in rows:
            note.case = case
        return paginator.get_paginated_response(
            NoteOutSerializer([_note(n) for n in rows], many=True).data
        )

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
        paginator = CasePagination()
        page = paginator.paginate_queryset(
            gate.visible_attachments(actor, case).order_by("-uploaded_at", "id"), request, self
        )
        rows = page or []
        audit_api(actor, "casework.viewed", "case", case.id, attachments=[str(a.id) for a in rows])
        for attachment in rows:
            attachment.case = case
        return paginator.get_paginated_response(
            AttachmentOutSerializer([_attachment(a) for a in rows], many=True).data
        )
