"""HTCDS exchange pages: upload a partner's file (all or nothing), download the visible cases in
the Excel toolkit's layout (through the field scope)."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from opennrm.access import perpetrators as perpetrator_gate
from opennrm.access import policy, roles
from opennrm.access.scope import field_scope
from opennrm.cases import htcds
from opennrm.cases import queries as case_queries
from opennrm.cases.htcds_files import HtcdsFileError, export_workbook, import_file
from opennrm.web.context import audit, request_actor
from opennrm.web.exchange.forms import HtcdsUploadForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def identified_from_label(source: str) -> str:
    return {
        "x_ua_IdentifiedOn": _("the record's date of identification"),
        "hte_Date": _("the first trafficking event"),
        "cas_IncomingReferralDate": _("the incoming referral date"),
        "import_date": _("the date of the import"),
    }[source]


@csrf_exempt  # checked below, after the upload handlers are set (the file stays in memory)
@login_required
@require_http_methods(["GET", "POST"])
def htcds_import(request: HttpRequest) -> HttpResponse:
    request.upload_handlers = [MemoryFileUploadHandler(request)]
    return _htcds_import(request)


@csrf_protect
def _htcds_import(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    policy.require(actor, roles.HTCDS_IMPORT)
    limit = settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    if request.method == "POST" and int(request.META.get("CONTENT_LENGTH") or 0) > limit:
        form = HtcdsUploadForm()
        form.add_error(None, _("The file is larger than %(n)d kB.") % {"n": limit // 1024})
        return render(request, "exchange/htcds_import.html", {"form": form}, status=422)
    form = HtcdsUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {
        "form": form,
        "can_export": policy.can(actor, roles.HTCDS_EXPORT),
    }
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            result = import_file(
                actor=actor,
                data=data,
                limit=settings.OPENNRM_HTCDS_IMPORT_MAX_RECORDS,
                writable=perpetrator_gate.htcds_writable(actor),
            )
        except HtcdsFileError as exc:
            context["errors"] = exc.messages
            status = 422
        else:
            context["imported"] = [
                {
                    "where": row.where,
                    "case": item.case,
                    "identified_on": item.case.identified_on,
                    "identified_from": identified_from_label(item.identified_from),
                    "not_kept": item.not_kept,
                }
                for row, item in zip(result.rows, result.imported, strict=True)
            ]
            context["form"] = HtcdsUploadForm()
    elif request.method == "POST":
        status = 422
    return render(request, "exchange/htcds_import.html", context, status=status)


@login_required
@require_GET
def htcds_export(request: HttpRequest) -> HttpResponse:
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
    audit(
        actor,
        "htcds.exported",
        object_type="agency",
        object_id=actor.agency_id,
        records=len(records),
        case_ids=[r["x_ua_CaseId"] for r in records],
        format="xlsx",
    )
    response = HttpResponse(export_workbook(records), content_type=XLSX)
    name = f"htcds-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
