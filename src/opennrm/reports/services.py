"""Report jobs: queue one (audited), carry it out in the worker with its progress, download."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from opennrm.access import statistics as gate
from opennrm.access import training as training_gate
from opennrm.audit.services import record
from opennrm.reports import period_report
from opennrm.reports.indicators import Filters, compute
from opennrm.reports.models import ReportJob
from opennrm.tenancy.actor import Actor, actor_for


def _audit(actor: Actor, action: str, job: ReportJob) -> None:
    record(
        action=action,
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type="report",
        object_id=job.id,
        detail={
            "from": job.start.isoformat(),
            "to": job.end.isoformat(),
            "format": job.format,
            "language": job.language,
        },
    )


def request_report(
    *, actor: Actor, filters: Filters, format: str, language: str, enqueue: bool = True
) -> ReportJob:
    gate.require_view(actor)
    errors = {}
    if format not in ReportJob.Format.values:
        errors["format"] = [_("Choose XLSX or PDF.")]
    if language not in ("uk", "en"):
        errors["language"] = [_("Choose Ukrainian or English.")]
    if errors:
        raise ValidationError(errors)
    assert actor.agency is not None
    with transaction.atomic():
        job = ReportJob.objects.create(
            requested_by=actor.user,
            agency=actor.agency,
            national=gate.is_national(actor),
            start=filters.start,
            end=filters.end,
            oblast=filters.oblast,
            agency_kind=filters.agency_kind,
            language=language,
            format=format,
        )
        _audit(actor, "report.requested", job)
        if enqueue:
            transaction.on_commit(lambda: _enqueue(job.id))
    return job


def _enqueue(job_id: uuid.UUID) -> None:
    from opennrm.reports.tasks import produce_report

    produce_report.enqueue(str(job_id))


def _step(job: ReportJob, step: str, progress: float) -> None:
    ReportJob.objects.filter(id=job.id).update(step=step, progress=progress)


def produce(job_id: uuid.UUID) -> ReportJob:
    """Compute and render the report (in the worker), in the language it was asked in."""
    job = ReportJob.objects.select_related("requested_by").get(id=job_id)
    if job.status != ReportJob.Status.QUEUED:
        return job
    ReportJob.objects.filter(id=job.id).update(status=ReportJob.Status.RUNNING)
    try:
        actor = actor_for(job.requested_by)
        _step(job, "computing the indicators", 0.1)
        cases = gate.cases_in_scope(actor)
        filters = Filters(job.start, job.end, job.oblast, job.agency_kind)
        with translation.override(job.language):
            indicators = compute(
                cases,
                filters,
                gate.proceedings_in_scope(actor),
                training_gate.statistics_scope(actor),
                national=gate.is_national(actor),
            )
            _step(job, "writing the report", 0.6)
            report = period_report.content(indicators, national=gate.is_national(actor))
            data = (
                period_report.to_pdf(report)
                if job.format == ReportJob.Format.PDF
                else period_report.to_xlsx(report)
            )
    except Exception as exc:
        ReportJob.objects.filter(id=job.id).update(
            status=ReportJob.Status.FAILED, error=type(exc).__name__, finished_at=timezone.now()
        )
        raise
    ReportJob.objects.filter(id=job.id).update(
        status=ReportJob.Status.DONE,
        content=data,
        progress=1.0,
        step="done",
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def record_download(actor: Actor, job: ReportJob) -> None:
    _audit(actor, "report.downloaded", job)
