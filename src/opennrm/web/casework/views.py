"""Case work pages: the notes and attachments of a case (thin views: the gate in
access/casework.py, the writes in casework/services.py, reads audited with ids only)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from opennrm.access import casework as gate
from opennrm.access import policy
from opennrm.access.fields import OWNER_ONLY
from opennrm.cases.models import Case
from opennrm.casework import files, sealing, services
from opennrm.casework.models import Attachment
from opennrm.core.codes import DATA_CATEGORY, LEGAL_BASIS, code_list
from opennrm.nrm.assistance.types import type_label
from opennrm.tenancy.actor import Actor
from opennrm.vault.aead import DecryptionError
from opennrm.web.casework import uploads
from opennrm.web.casework.forms import (
    ABOUT_CHOICES,
    OWNER_ONLY_LABEL,
    AttachmentForm,
    NoteForm,
)
from opennrm.web.context import audit, request_actor
from opennrm.web.dates import short_date
from opennrm.web.forms import apply_service_errors


def _category_label(code: str) -> str:
    return str(OWNER_ONLY_LABEL) if code == OWNER_ONLY else code_list(DATA_CATEGORY).label(code)


def _service_choices(case: Case) -> list[tuple[str, str]]:
    # Services of the case: by type and planned date (no personal data in a service row).
    return [
        (str(s.id), f"{type_label(s.type)}, {short_date(s.planned_on)}")
        for s in case.assistance_services.order_by("planned_on")
    ]


def _consent_choices(actor: Actor, case: Case) -> list[tuple[str, str]]:
    if not gate.may_attach_consent_form(actor, case):
        return []
    labels = code_list(LEGAL_BASIS)
    return [
        (str(c.id), f"{labels.label(c.legal_basis)}, {short_date(c.given_on)}")
        for c in case.consents.order_by("-given_on")
    ]


def _note_form(actor: Actor, case: Case, data: Any = None) -> NoteForm | None:
    categories = sorted(
        {c for about, _label in ABOUT_CHOICES for c in gate.note_categories(actor, case, about)},
    )
    if not categories:
        return None
    return NoteForm(data, categories=categories, services=_service_choices(case), prefix="note")


def _attachment_form(
    actor: Actor, case: Case, data: Any = None, file_data: Any = None
) -> AttachmentForm | None:
    categories = gate.attachment_categories(actor, case)
    if not categories:
        return None
    return AttachmentForm(
        data,
        file_data,
        categories=categories,
        consents=_consent_choices(actor, case),
        prefix="file",
    )


def _render(
    request: HttpRequest,
    actor: Actor,
    case: Case,
    *,
    note_form: NoteForm | None = None,
    attachment_form: AttachmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    notes = list(gate.visible_notes(actor, case))
    attachments = list(gate.visible_attachments(actor, case))
    person = case.person
    about = dict(ABOUT_CHOICES)
    note_rows = [
        {
            "note": n,
            "text": sealing.open_note(n, person),
            "about": about.get(n.about, n.about),
            "category": _category_label(n.category),
            "agency": n.agency.display_name,
            "by": n.written_by.get_username() if policy.shows_staff(actor, n.agency_id) else "",
            "may_delete": gate.may_delete_note(actor, case, n),
        }
        for n in notes
    ]
    attachment_rows = [
        {
            "attachment": a,
            "title": sealing.attachment_title(a, person),
            "category": _category_label(a.category),
            "agency": a.agency.display_name,
            "kind": files.EXTENSION.get(a.content_type, "").upper(),
            "may_delete": gate.may_delete_attachment(actor, case, a),
        }
        for a in attachments
    ]
    # A read of personal data: which notes and files were shown (ids only).
    audit(
        actor,
        "casework.viewed",
        "case",
        case.id,
        notes=[str(n.id) for n in notes],
        attachments=[str(a.id) for a in attachments],
    )
    return render(
        request,
        "casework/case_file.html",
        {
            "case": case,
            "notes": note_rows,
            "attachments": attachment_rows,
            "note_form": note_form or _note_form(actor, case),
            "attachment_form": attachment_form or _attachment_form(actor, case),
            "max_mb": uploads.limit() // (1024 * 1024),
        },
        status=status,
    )


@login_required
@require_GET
def case_file(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = request_actor(request)
    case = gate.get_case(actor, case_id)
    return _render(request, actor, case)


@login_required
@require_POST
def note_create(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = request_actor(request)
    case = gate.get_case(actor, case_id)
    form = _note_form(actor, case, request.POST)
    if form is None:
        raise Http404
    if form.is_valid():
        d = form.cleaned_data
        if d["category"] not in gate.note_categories(actor, case, d["about"]):
            form.add_error("category", _("This category does not fit this kind of note."))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.write_note(
                actor=actor,
                case=case,
                about=d["about"],
                category=d["category"],
                text=d["text"],
                service_id=d["service_id"] or None,
                contact_on=d["contact_on"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The note was saved."))
            return redirect(reverse("web:case_file", kwargs={"case_id": case.id}) + "#notes")
    return _render(request, actor, case, note_form=form, status=422)


@login_required
@require_POST
def note_delete(request: HttpRequest, note_id: str) -> HttpResponse:
    actor = request_actor(request)
    note = gate.get_note_for(actor, note_id, delete=True)
    services.delete_note(actor=actor, note=note)
    messages.success(request, _("The note was deleted."))
    return redirect(reverse("web:case_file", kwargs={"case_id": note.case_id}) + "#notes")


@csrf_exempt  # checked below, after the upload handler is set (the file stays in memory)
@login_required
@require_POST
def attachment_create(request: HttpRequest, case_id: str) -> HttpResponse:
    uploads.keep_in_memory(request)
    return _attachment_create(request, case_id)


@csrf_protect
def _attachment_create(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = request_actor(request)
    case = gate.get_case(actor, case_id)
    if not gate.attachment_categories(actor, case):
        raise PermissionDenied("attachment.add")
    if uploads.too_large(request):
        form = _attachment_form(actor, case)
        assert form is not None
        form.add_error(
            None, _("The file is larger than %(n)d MB.") % {"n": uploads.limit() // 1048576}
        )
        return _render(request, actor, case, attachment_form=form, status=422)
    form = _attachment_form(actor, case, request.POST, request.FILES)
    assert form is not None
    if form.is_valid():
        d = form.cleaned_data
        consent = gate.consent_of(actor, case, d["consent"]) if d.get("consent") else None
        gate.authorize_upload(actor, case, d["category"])
        try:
            services.add_attachment(
                actor=actor,
                case=case,
                category=d["category"],
                title=d["title"],
                content=d["file"].read(),
                consent=consent,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The file was added."))
            return redirect(reverse("web:case_file", kwargs={"case_id": case.id}) + "#attachments")
    return _render(request, actor, case, attachment_form=form, status=422)


def _file_response(actor: Actor, attachment: Attachment, column: str, action: str) -> HttpResponse:
    try:
        content = sealing.open_attachment(attachment, attachment.case.person, column)
    except DecryptionError:
        content = b""
    if not content:
        raise Http404  # erased (or no thumbnail): nothing to serve
    audit(actor, action, "case", attachment.case_id, attachment=str(attachment.id))
    extension = files.EXTENSION[attachment.content_type]
    response = HttpResponse(content, content_type=attachment.content_type)
    suffix = "-thumbnail" if column == "thumbnail" else ""
    response["Content-Disposition"] = (
        f'attachment; filename="attachment-{attachment.id}{suffix}.{extension}"'
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def attachment_download(request: HttpRequest, attachment_id: str) -> HttpResponse:
    actor = request_actor(request)
    attachment = gate.get_attachment_for(actor, attachment_id)
    return _file_response(actor, attachment, "content", "attachment.downloaded")


@login_required
@require_GET
def attachment_thumbnail(request: HttpRequest, attachment_id: str) -> HttpResponse:
    actor = request_actor(request)
    attachment = gate.get_attachment_for(actor, attachment_id)
    return _file_response(actor, attachment, "thumbnail", "attachment.thumbnail_viewed")


@login_required
@require_POST
def attachment_delete(request: HttpRequest, attachment_id: str) -> HttpResponse:
    actor = request_actor(request)
    attachment = gate.get_attachment_for(actor, attachment_id, delete=True)
    services.delete_attachment(actor=actor, attachment=attachment)
    messages.success(request, _("The file was deleted."))
    return redirect(
        reverse("web:case_file", kwargs={"case_id": attachment.case_id}) + "#attachments"
    )
