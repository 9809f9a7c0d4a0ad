"""Web pages of capacity building: the agency's trainings, creating and editing one, a training
with its participants (names shown to `training.view` only), the participant import (all or
nothing), attendance and test results per participant, files (PDF agenda and materials,
downloads audited), certificates (PDF with a QR code; revocation after a confirmation page),
equipment given to agencies, the donor report (page, XLSX, PDF) and the public verification page
(initials, course, dates, validity).

Thin: fetch through `access.training` (another agency's training is 404), validate a form, call
a `training.services` function, redirect; a service's refusal re-renders the form with 422."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opennrm.access import training as gate
from opennrm.access.roles import TRAINING_MANAGE
from opennrm.core.codes import (
    PROFESSION,
    TRAINING_FILE_KIND,
    TRAINING_FORMAT,
    TRAINING_TOPIC,
    code_list,
)
from opennrm.reports import training_report
from opennrm.tenancy.actor import Actor
from opennrm.training import queries, services
from opennrm.training.certificates import certificate_pdf
from opennrm.training.imports import FileProblem, participant_rows, read_table
from opennrm.training.models import Certificate, Participation
from opennrm.training.trainees import open_name
from opennrm.web.context import audit, request_actor
from opennrm.web.forms import apply_service_errors
from opennrm.web.training import forms as tf

PURPOSE = "CapacityBuilding"


@login_required
@require_GET
def training_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not gate.can_view(actor) and gate.can_report(actor):
        return redirect("web:training_report")
    gate.require_view(actor)
    trainings = list(gate.visible_trainings(actor))
    formats = code_list(TRAINING_FORMAT)
    audit(actor, "training.listed", "training", None, count=len(trainings))
    return render(
        request,
        "training/training_list.html",
        {
            "rows": [
                {
                    "training": t,
                    "format": formats.label(t.format),
                    "participants": t.participants.count(),
                }
                for t in trainings
            ],
            "can_manage": gate.can_manage(actor),
            "can_report": gate.can_report(actor),
        },
    )


def _detail_context(actor: Any, training: Any) -> dict[str, Any]:
    professions = code_list(PROFESSION)
    oblasts = code_list("oblast")
    rows = []
    for p in training.participants.select_related("trainee", "agency").order_by("added_at"):
        certificate = Certificate.objects.filter(participation=p).first()
        rows.append(
            {
                "participation": p,
                "name": open_name(p.trainee).full_name,
                "profession": professions.label(p.profession),
                "oblast": oblasts.label(p.oblast),
                "agency": p.agency.display_name if p.agency else p.agency_name,
                "days": len(p.days_attended),
                "certificate": certificate,
                "validity": services.certificate_validity(certificate) if certificate else "",
            }
        )
    topics = code_list(TRAINING_TOPIC)
    return {
        "training": training,
        "format": code_list(TRAINING_FORMAT).label(training.format),
        "topics": [topics.label(t) for t in training.topics],
        "oblast": oblasts.label(training.venue_oblast),
        "rows": rows,
        "days": len(services.training_days(training)),
        "can_manage": gate.can_manage(actor),
        "files": [
            {"file": f, "kind": code_list(TRAINING_FILE_KIND).label(f.kind)}
            for f in training.files.order_by("uploaded_at")
        ],
        "file_form": tf.FileForm(),
        "max_mb": round(settings.OPENNRM_TRAINING_FILE_MAX_BYTES / 1048576, 1),
        "target_groups": [professions.label(g) for g in training.target_groups],
    }


@login_required
@require_GET
def training_detail(request: HttpRequest, training_id: str) -> HttpResponse:
    actor = request_actor(request)
    training = gate.get_training_for(actor, training_id)
    audit(actor, "training.viewed", "training", training.id)
    return render(request, "training/training_detail.html", _detail_context(actor, training))


@login_required
@require_POST
def participant_import(request: HttpRequest, training_id: str) -> HttpResponse:
    actor = request_actor(request)
    training = gate.get_training_for(actor, training_id, TRAINING_MANAGE)
    upload = request.FILES.get("file")
    errors: dict[str, list[str]] = {}
    if upload is None:
        errors = {"file": [_("Choose a CSV or XLSX file.")]}
    elif upload.size is not None and upload.size > settings.OPENNRM_TRAINING_FILE_MAX_BYTES:
        errors = {"file": [_("The file is too large.")]}
    else:
        try:
            rows, problems = participant_rows(read_table(upload.name or "", upload.read()))
            created = services.import_participants(
                actor=actor, training=training, rows=rows, row_errors=problems
            )
        except FileProblem as exc:
            errors = {"file": [str(exc)]}
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(
                request, _("%(count)s participants imported.") % {"count": len(created)}
            )
            return redirect("web:training_detail", training_id=training.id)
    context = _detail_context(actor, training)
    context["import_errors"] = sorted(errors.items())
    return render(request, "training/training_detail.html", context, status=422)


@login_required
@require_POST
def certificates_issue(request: HttpRequest, training_id: str) -> HttpResponse:
    actor = request_actor(request)
    training = gate.get_training_for(actor, training_id, TRAINING_MANAGE)
    try:
        issued = services.issue_certificates(actor=actor, training=training)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(count)s certificates issued.") % {"count": len(issued)})
    return redirect("web:training_detail", training_id=training.id)


@login_required
@require_GET
def certificate_download(request: HttpRequest, certificate_id: str) -> HttpResponse:
    actor = request_actor(request)
    certificate = gate.get_certificate_for(actor, certificate_id)
    url = request.build_absolute_uri(reverse("web:certificate_verify", args=[certificate.code]))
    audit(
        actor,
        "training.certificate_downloaded",
        "training",
        certificate.participation.training_id,
        certificate=str(certificate.id),
    )
    response = HttpResponse(certificate_pdf(certificate, url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


def client_address(request: HttpRequest) -> str:
    """The client's address: the trusted proxy's header when one is configured
    (`OPENNRM_TRUSTED_PROXY_HEADER`, its first address), else REMOTE_ADDR."""
    header = settings.OPENNRM_TRUSTED_PROXY_HEADER
    forwarded = request.META.get(header, "") if header else ""
    first = forwarded.split(",")[0].strip() if forwarded else ""
    return first or request.META.get("REMOTE_ADDR", "")


def _verify_allowed(request: HttpRequest) -> bool:
    """At most `OPENNRM_VERIFY_PER_MINUTE` checks a minute per client, counted in the cache
    every process shares (`CACHES["shared"]`); the address is kept only as a digest."""
    shared = caches["shared"]
    client = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"verify:{client}:{timezone.now():%Y%m%d%H%M}"
    shared.add(key, 0, timeout=90)
    try:
        count = int(shared.incr(key))
    except ValueError:  # expired between add and incr
        shared.add(key, 1, timeout=90)
        count = 1
    return count <= settings.OPENNRM_VERIFY_PER_MINUTE


@require_GET
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: whether a certificate is genuine. Only initials, course, dates and validity."""
    if not _verify_allowed(request):
        return render(request, "web/too_many.html", status=429)
    certificate = (
        Certificate.objects.filter(code=services.normalise_code(code))
        .select_related("participation__training", "participation__trainee")
        .first()
    )
    context: dict[str, Any] = {"found": certificate is not None}
    if certificate is not None:
        training = certificate.participation.training
        context.update(
            {
                "initials": open_name(certificate.participation.trainee).initials,
                "course": training.title,
                "starts_on": training.starts_on,
                "ends_on": training.ends_on,
                "issued_on": certificate.issued_on,
                "validity": services.certificate_validity(certificate),
            }
        )
    return render(
        request,
        "training/verify.html",
        context,
        status=200 if certificate is not None else 404,
    )


# --- Creating and editing a training ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def training_create(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    gate.require_manage(actor)
    form = tf.TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            training = services.create_training(actor=actor, data=form.to_input())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The training was recorded."))
            return redirect("web:training_detail", training_id=training.id)
    return render(
        request,
        "training/training_form.html",
        {"form": form, "training": None},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_edit(request: HttpRequest, training_id: str) -> HttpResponse:
    actor = request_actor(request)
    training = gate.get_training_for(actor, training_id, TRAINING_MANAGE)
    form = tf.TrainingForm(request.POST or None, initial=tf.TrainingForm.initial_of(training))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_training(actor=actor, training=training, data=form.to_input())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The training was saved."))
            return redirect("web:training_detail", training_id=training.id)
    return render(
        request,
        "training/training_form.html",
        {"form": form, "training": training},
        status=422 if request.method == "POST" else 200,
    )


# --- Attendance and results of one participant -----------------------------------------------


def _participant_facts(participation: Participation) -> dict[str, Any]:
    return {
        "name": open_name(participation.trainee).full_name,
        "profession": code_list(PROFESSION).label(participation.profession),
        "oblast": code_list("oblast").label(participation.oblast),
        "agency": participation.agency.display_name
        if participation.agency
        else participation.agency_name,
    }


@login_required
@require_http_methods(["GET", "POST"])
def participant_results(
    request: HttpRequest, training_id: str, participation_id: str
) -> HttpResponse:
    actor = request_actor(request)
    training = gate.get_training_for(actor, training_id, TRAINING_MANAGE)
    participation = gate.get_participation_for(actor, training, participation_id)
    initial = {
        "days_attended": list(participation.days_attended),
        "pre_score": participation.pre_score,
        "post_score": participation.post_score,
        "feedback_rating": participation.feedback_rating,
    }
    form = tf.ResultsForm(request.POST or None, training=training, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.record_results(
                actor=actor,
                participation=participation,
                pre_score=d["pre_score"],
                post_score=d["post_score"],
                days_attended=form.days(),
                feedback_rating=d["feedback_rating"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The results were recorded."))
            return redirect(reverse("web:training_detail", args=[training.id]) + "#participants")
    audit(
        actor,
        "training.participant_viewed",
        "training",
        training.id,
        participation=str(participation.id),
    )
    return render(
        request,
        "training/participant_results.html",
        {
            "form": form,
            "training": training,
            "participation": participation,
            **_participant_facts(participation),
        },
        status=422 if request.method == "POST" else 200,
    )


# --- Files ------------------------------------------------------------------------------------


@login_required
@require_POST
def file_attach(request: HttpRequest, training_id: str) -> HttpResponse:
    actor = request_actor(request)
    training = gate.get_training_for(actor, training_id, TRAINING_MANAGE)
    form = tf.FileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        limit = settings.OPENNRM_TRAINING_FILE_MAX_BYTES
        try:
            services.attach_file(
                actor=actor,
                training=training,
                kind=form.cleaned_data["kind"],
                name=upload.name or "",
                # One byte over the limit is enough for the service to refuse the size.
                content=upload.read(limit + 1),
                content_type=upload.content_type or "",
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The file was attached."))
            return redirect(reverse("web:training_detail", args=[training.id]) + "#files")
    context = _detail_context(actor, training)
    context["file_form"] = form
    return render(request, "training/training_detail.html", context, status=422)


@login_required
@require_GET
def file_download(request: HttpRequest, file_id: str) -> HttpResponse:
    actor = request_actor(request)
    stored = gate.get_file_for(actor, file_id)
    audit(
        actor,
        "training.file_downloaded",
        "training" if stored.training_id else "training_file",
        stored.training_id or stored.id,
        file=str(stored.id),
        kind=stored.kind,
    )
    response = HttpResponse(bytes(stored.content), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{stored.kind.lower()}-{stored.id}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Revoking a certificate ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def certificate_revoke(request: HttpRequest, certificate_id: str) -> HttpResponse:
    """A confirmation page (the holder, the course, the reason), then the revocation: from then
    on the public verification page says "revoked"."""
    actor = request_actor(request)
    certificate = gate.get_certificate_for(actor, certificate_id, TRAINING_MANAGE)
    training = certificate.participation.training
    form = tf.RevokeForm(request.POST or None)
    if certificate.revoked_on is not None:
        messages.info(request, _("The certificate is already revoked."))
        return redirect("web:training_detail", training_id=training.id)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_certificate(
                actor=actor, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The certificate was revoked."))
            return redirect(reverse("web:training_detail", args=[training.id]) + "#participants")
    return render(
        request,
        "training/certificate_revoke.html",
        {
            "form": form,
            "certificate": certificate,
            "training": training,
            "name": open_name(certificate.participation.trainee).full_name,
        },
        status=422 if request.method == "POST" else 200,
    )


# --- Equipment ----------------------------------------------------------------------------------


@login_required
@require_GET
def equipment_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    gate.require_view(actor)
    rows = list(gate.visible_equipment(actor).select_related("recipient", "handover_document"))
    audit(actor, "training.equipment_listed", "equipment", None, count=len(rows))
    return render(
        request,
        "training/equipment_list.html",
        {"rows": rows, "can_manage": gate.can_manage(actor)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def equipment_create(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    gate.require_manage(actor)
    form = tf.EquipmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        limit = settings.OPENNRM_TRAINING_FILE_MAX_BYTES
        try:
            services.record_equipment_with_document(
                actor=actor,
                data=form.to_input(),
                document=(
                    services.Upload(
                        upload.name or "", upload.read(limit + 1), upload.content_type or ""
                    )
                    if upload
                    else None
                ),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, {"file": "document"})
        else:
            messages.success(request, _("The equipment was recorded."))
            return redirect("web:equipment_list")
    return render(
        request,
        "training/equipment_form.html",
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )


# --- The donor report -------------------------------------------------------------------------


def _report(request: HttpRequest, actor: Actor) -> tuple[tf.ReportForm, dict[str, Any]]:
    scope = gate.report_scope(actor)
    projects, funders = queries.projects_and_funders(scope)
    year = timezone.localdate().year
    latest = scope.trainings.order_by("-starts_on").values_list("starts_on", flat=True).first()
    if latest is not None:
        year = latest.year
    data = request.GET.copy()
    data.setdefault("start", f"{year}-01-01")
    data.setdefault("end", f"{year}-12-31")
    data.setdefault("by", "month")
    form = tf.ReportForm(data, projects=projects, funders=funders)
    if form.is_valid():
        d = form.cleaned_data
        filters = {
            "start": d["start"],
            "end": d["end"],
            "project_code": d["project_code"],
            "funder": d["funder"],
            "by": d["by"] or "month",
        }
    else:
        filters = {
            "start": dt.date(year, 1, 1),
            "end": dt.date(year, 12, 31),
            "project_code": "",
            "funder": "",
            "by": "month",
        }
    return form, filters


def _report_audit(actor: Actor, action: str, filters: dict[str, Any]) -> None:
    audit(
        actor,
        action,
        "training_report",
        None,
        **{"from": filters["start"].isoformat(), "to": filters["end"].isoformat()},
        by=filters["by"],
        project=bool(filters["project_code"]),
        funder=bool(filters["funder"]),
    )


@login_required
@require_GET
def training_report_page(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    gate.require_report(actor)
    form, filters = _report(request, actor)
    report = training_report.donor_report(
        gate.report_scope(actor), gate.followed_cases(actor), **filters
    )
    _report_audit(actor, "training.report_viewed", filters)
    query = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in filters.items()}
    return render(
        request,
        "training/report.html",
        {
            "form": form,
            "report": report,
            "query": urlencode(query),
            "status": 422 if form.errors else 200,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_GET
def training_report_download(request: HttpRequest, kind: str) -> HttpResponse:
    actor = request_actor(request)
    gate.require_report(actor)
    _form, filters = _report(request, actor)
    report = training_report.donor_report(
        gate.report_scope(actor), gate.followed_cases(actor), **filters
    )
    _report_audit(actor, f"training.report_{kind}", filters)
    name = f"opennrm-trainings-{filters['start'].isoformat()}-{filters['end'].isoformat()}"
    if kind == "pdf":
        response = HttpResponse(training_report.to_pdf(report), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    response = HttpResponse(
        training_report.to_xlsx(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
