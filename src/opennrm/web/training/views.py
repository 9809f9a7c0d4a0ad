"""Web pages of capacity building: the agency's trainings, a training with its participants
(names shown to `training.view` only), the participant import (all or nothing), certificates
(PDF with a QR code) and the public verification page (initials, course, dates, validity)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opennrm.access import training as gate
from opennrm.access.roles import TRAINING_MANAGE
from opennrm.core.codes import PROFESSION, TRAINING_FORMAT, TRAINING_TOPIC, code_list
from opennrm.training import services
from opennrm.training.certificates import certificate_pdf
from opennrm.training.imports import FileProblem, participant_rows, read_table
from opennrm.training.models import Certificate
from opennrm.training.trainees import open_name
from opennrm.web.context import audit, request_actor

PURPOSE = "CapacityBuilding"


@login_required
@require_GET
def training_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
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
                "agency": p.agency.name if p.agency else p.agency_name,
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


def _verify_allowed(request: HttpRequest) -> bool:
    client = request.META.get("REMOTE_ADDR", "")
    key = f"verify:{client}:{timezone.now():%Y%m%d%H%M}"
    cache.add(key, 0, timeout=90)
    return int(cache.incr(key)) <= settings.OPENNRM_VERIFY_PER_MINUTE


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
