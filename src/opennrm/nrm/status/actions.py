"""The status procedure's actions as one table: the service each calls, its input, its permission.

The web (`web/status`), the API (`api/status`) and the tests read this table; the web form and
the API serializer of an action take exactly the fields named here (a test checks both against
the service's keyword arguments). States, moves and permissions stay in `workflow.py`. The
system's transition (`expire`, the daily job: `services.expire_certificates`) is not here: no
user takes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from django.utils.functional import Promise

from opennrm.nrm.status import services
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import StatusApplication


@dataclass(frozen=True)
class StatusAction:
    action: str
    service: Callable[..., StatusApplication]
    fields: tuple[str, ...]  # the service's keyword arguments besides actor and application

    @property
    def permission(self) -> str:
        """The permission the workflow table names for the action."""
        return wf.WORKFLOW.transition(self.action).permission

    @property
    def label(self) -> str | Promise:
        return wf.ACTION_LABELS[self.action]


_FORWARD = ("to_agency", "forwarded_on")
_COURT = ("court_decided_on",)

ACTIONS: Final[dict[str, StatusAction]] = {
    a.action: a
    for a in (
        StatusAction(
            wf.RECORD_INTERVIEW,
            services.record_interview,
            ("interviewed_on", "consent_recorded", "nondisclosure_signed"),
        ),
        StatusAction(wf.WAIVE_INTERVIEW, services.waive_interview, ("waived_on", "reason")),
        StatusAction(wf.FORWARD_TO_OBLAST, services.forward_to_oblast, _FORWARD),
        StatusAction(wf.FORWARD_TO_NATIONAL, services.forward_to_national, _FORWARD),
        StatusAction(
            wf.GRANT,
            services.grant_status,
            (
                "decided_on",
                "certificate_number",
                "certificate_issued_on",
                "certificate_valid_until",
            ),
        ),
        StatusAction(wf.REFUSE, services.refuse_status, ("decided_on", "reason")),
        StatusAction(wf.RETURN_INCOMPLETE, services.return_incomplete, ("decided_on", "reason")),
        StatusAction(wf.EXTEND, services.extend_certificate, ("extended_on", "valid_until")),
        StatusAction(wf.REVOKE, services.revoke_status, ("revoked_on", "reason")),
        StatusAction(wf.LODGE_APPEAL, services.lodge_appeal, ("appealed_on",)),
        StatusAction(wf.COURT_ANNULS_REFUSAL, services.court_annuls_refusal, _COURT),
        StatusAction(wf.COURT_UPHOLDS_REFUSAL, services.court_upholds_refusal, _COURT),
        StatusAction(wf.WITHDRAW, services.withdraw_application, ("withdrawn_on",)),
    )
}
