"""Web pages of transnational referrals and assisted returns: the case's list with the form to
send one (only with the person's consent naming the partner and the categories), the packet's
download (audited) and the partner's acknowledgement. Thin views: the gate is
`access/transnational.py`, the writes `justice/transnational_services.py`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opennrm.access import transnational as gate
from opennrm.cases.models import Case
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.justice import transnational_services as services
from opennrm.justice.transnational import TransnationalReferral
from opennrm.tenancy.models import Agency
from opennrm.web.cases.forms import DateInput
from opennrm.web.context import audit, request_actor
from opennrm.web.forms import apply_service_errors

KIND_LABELS = {
    TransnationalReferral.REFERRAL: _("Transnational referral"),
    TransnationalReferral.RETURN: _("Assisted return"),
}


class SendForm(forms.Form):
    partner: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Partner agency abroad"), queryset=Agency.objects.none(), empty_label="—"
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=list(KIND_LABELS.items()))
    purpose = forms.ChoiceField(label=_("Purpose"), choices=())
    data_categories = forms.MultipleChoiceField(
        label=_("Data categories to send"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only those the person's consent for this partner names."),
    )

    def __init__(self, *args: Any, partners: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        field.queryset = partners  # type: ignore[attr-defined]
        field.label_from_instance = lambda a: (  # type: ignore[attr-defined]
            f"{a.display_name} ({code_list(codes.COUNTRY).label(a.country)})"
        )
        self.fields["purpose"].choices = code_list(codes.PURPOSE).choices()  # type: ignore[attr-defined]
        self.fields["data_categories"].choices = code_list(  # type: ignore[attr-defined]
            codes.DATA_CATEGORY
        ).choices()


class AcknowledgementForm(forms.Form):
    acknowledged_on = forms.DateField(label=_("Acknowledged on"), widget=DateInput())
    reference = forms.CharField(label=_("The partner's reference"), max_length=100, required=False)


def _rows(items: QuerySet[TransnationalReferral]) -> list[dict[str, Any]]:
    categories = code_list(codes.DATA_CATEGORY)
    return [
        {
            "item": item,
            "kind": KIND_LABELS.get(item.kind, item.kind),
            "purpose": code_list(codes.PURPOSE).label(item.purpose),
            "partner": item.partner.display_name,
            "country": code_list(codes.COUNTRY).label(item.partner.country),
            "categories": [categories.label(c) for c in item.data_categories],
            "form": None if item.acknowledged else AcknowledgementForm(prefix=str(item.id)),
        }
        for item in items
    ]


def _render(request: HttpRequest, case: Case, form: SendForm, status: int = 200) -> HttpResponse:
    actor = request_actor(request)
    items = gate.visible_transnational(actor).filter(case=case)
    audit(
        actor,
        "transnational.listed",
        "case",
        case.id,
        transnational_ids=[str(i.id) for i in items],
    )
    return render(
        request,
        "perpetrators/transnational.html",
        {"case": case, "rows": _rows(items), "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_transnational(request: HttpRequest, case_id: str) -> HttpResponse:
    """The case's referrals abroad and the form to send one."""
    actor = request_actor(request)
    case = gate.get_case_to_send(actor, case_id)
    form = SendForm(request.POST or None, partners=gate.partners())
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.send(
                    actor=actor,
                    case=case,
                    partner=d["partner"],
                    kind=d["kind"],
                    purpose=d["purpose"],
                    data_categories=d["data_categories"],
                    build_packet=gate.packet_builder(
                        actor, case, d["partner"], d["kind"], d["purpose"]
                    ),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, _("The packet is ready: download it and send it to the partner.")
                )
                return redirect("web:case_transnational", case_id=case.id)
        return _render(request, case, form, status=422)
    return _render(request, case, form)


@login_required
@require_GET
def transnational_packet(request: HttpRequest, transnational_id: str) -> HttpResponse:
    """The packet exactly as sent (JSON), for its sender; audited."""
    actor = request_actor(request)
    item = gate.get_transnational_for(actor, transnational_id)
    if services.is_erased(item):
        raise Http404  # the person was erased: nothing is left to send
    response = HttpResponse(
        services.record_download(actor=actor, item=item), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="htcds-packet-{item.id}.json"'
    return response


@login_required
@require_POST
def transnational_acknowledge(request: HttpRequest, transnational_id: str) -> HttpResponse:
    actor = request_actor(request)
    item = gate.get_transnational_for(actor, transnational_id)
    form = AcknowledgementForm(request.POST, prefix=str(item.id))
    if form.is_valid():
        try:
            services.acknowledge(
                actor=actor,
                item=item,
                acknowledged_on=form.cleaned_data["acknowledged_on"],
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The partner's acknowledgement was recorded."))
    else:
        messages.error(request, _("Give the date of the acknowledgement."))
    return redirect("web:case_transnational", case_id=item.case_id)
