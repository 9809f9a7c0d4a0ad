"""Period reports: ask for one (XLSX or PDF, Ukrainian or English), watch it being produced by
the worker, download it (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opennrm.access import statistics as gate
from opennrm.reports import services
from opennrm.reports.models import ReportJob
from opennrm.web.context import request_actor
from opennrm.web.statistics.views import filters_from

CONTENT_TYPES: dict[str, str] = {
    ReportJob.Format.PDF: "application/pdf",
    ReportJob.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@require_POST
def report_request(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    gate.require_view(actor)
    _form, filters = filters_from(request, actor)
    try:
        job = services.request_report(
            actor=actor,
            filters=filters,
            format=request.POST.get("format", ""),
            language=request.POST.get("language", ""),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("web:statistics")
    messages.success(
        request,
        _("The report was requested. It is prepared in the background: this page shows when."),
    )
    return redirect("web:report_detail", job_id=job.id)


@login_required
def report_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    actor = request_actor(request)
    job = gate.get_report_for(actor, job_id)
    return render(
        request, "statistics/report.html", {"job": job, "percent": round(job.progress * 100)}
    )


@login_required
def report_download(request: HttpRequest, job_id: str) -> HttpResponse:
    actor = request_actor(request)
    job = gate.get_report_for(actor, job_id)
    if job.status != ReportJob.Status.DONE:
        messages.error(request, _("The report is not ready yet."))
        return redirect("web:report_detail", job_id=job.id)
    services.record_download(actor, job)
    response = HttpResponse(bytes(job.content), content_type=CONTENT_TYPES[job.format])
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response
