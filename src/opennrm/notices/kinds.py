"""The kinds of notification: a code, its label and the sentence it says (no personal data:
the agency is the only name, and the link carries a UUID)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from opennrm.core.codes import PURPOSE, code_list

REFERRAL_RECEIVED: Final = "referral.received"
REFERRAL_ANSWERED: Final = "referral.answered"
STATUS_DEADLINE_NEAR: Final = "status.deadline_near"
STATUS_DEADLINE_MISSED: Final = "status.deadline_missed"
STATUS_FILE_RETURNED: Final = "status.file_returned"
PERPETRATOR_ALERT: Final = "perpetrator.alert"
MLA_DEADLINE_MISSED: Final = "mla.deadline_missed"


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise  # the kind, on the preferences page
    text: str | Promise  # the notification; may name %(agency)s
    text_no_agency: str | Promise


KINDS: Final[dict[str, Kind]] = {
    k.code: k
    for k in (
        Kind(
            REFERRAL_RECEIVED,
            _("Referrals received"),
            _("New referral from %(agency)s waits for your answer"),
            _("New referral waits for your answer"),
        ),
        Kind(
            REFERRAL_ANSWERED,
            _("Referrals answered"),
            _("%(agency)s answered your agency's referral"),
            _("Your agency's referral was answered"),
        ),
        Kind(
            STATUS_DEADLINE_NEAR,
            _("Status procedure: deadlines approaching"),
            _("A status application's deadline is approaching"),
            _("A status application's deadline is approaching"),
        ),
        Kind(
            STATUS_DEADLINE_MISSED,
            _("Status procedure: deadlines missed"),
            _("A status application's deadline has passed"),
            _("A status application's deadline has passed"),
        ),
        Kind(
            STATUS_FILE_RETURNED,
            _("Status procedure: files returned"),
            _("%(agency)s returned a personal file as incomplete"),
            _("A personal file was returned as incomplete"),
        ),
        Kind(
            PERPETRATOR_ALERT,
            _("Perpetrator alerts"),
            _("An identifier you recorded is known in another record"),
            _("An identifier you recorded is known in another record"),
        ),
        Kind(
            MLA_DEADLINE_MISSED,
            _("Mutual legal assistance: deadlines missed"),
            _("A mutual legal assistance request is past its deadline"),
            _("A mutual legal assistance request is past its deadline"),
        ),
    )
}

REFERENCE_LABEL: Final = _("No. %(reference)s")

# The page each kind of object opens (URL keyword: the object's UUID).
TARGETS: Final = {
    "referral": ("web:referral_detail", "referral_id"),
    "application": ("web:status_application_detail", "application_id"),
    "alert": ("web:alert_list", ""),
    "mla": ("web:mla_detail", "mla_id"),
}


def text(kind: str, agency_name: str | None, reference: str = "", purpose: str = "") -> str:
    """The sentence of a notification: the kind, the agency, and what tells it apart (the
    case's reference or the file's journal number, the referral's purpose)."""
    k = KINDS[kind]
    sentence = str(k.text) % {"agency": agency_name} if agency_name else str(k.text_no_agency)
    parts = []
    if reference:
        parts.append(str(REFERENCE_LABEL) % {"reference": reference})
    if purpose:
        parts.append(code_list(PURPOSE).label(purpose))
    return f"{sentence} ({', '.join(parts)})" if parts else sentence


def target_path(object_type: str, object_id: object) -> str:
    name, keyword = TARGETS[object_type]
    return reverse(name, kwargs={keyword: object_id}) if keyword else reverse(name)
