"""Translated labels of screening codes (outcomes, answers, strengths), for every interface."""

from __future__ import annotations

from typing import Final

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from opennrm.nrm.screening import indicators
from opennrm.nrm.screening.indicators import IndicatorSet

OUTCOME_LABELS: Final[dict[str, Promise]] = {
    indicators.PRESUMED_VICTIM: _("Presumed victim, refer"),
    indicators.INCOMPLETE: _("Incomplete"),
    indicators.NOT_ENOUGH: _("Not enough indicators"),
}
ANSWER_LABELS: Final[dict[str, Promise]] = {
    indicators.PRESENT: _("Present"),
    indicators.ABSENT: _("Absent"),
    indicators.UNKNOWN: _("Unknown"),
}
STRENGTH_LABELS: Final[dict[str, Promise]] = {
    indicators.STRONG: _("strong"),
    indicators.MEDIUM: _("medium"),
    indicators.WEAK: _("weak"),
}
# Said wherever a result is shown.
NOT_A_FINDING: Final = _(
    "This is a recommendation to refer the person to the National Referral Mechanism, based on "
    "the ILO/EC operational indicators. It is not a legal finding that the person is a victim "
    "of trafficking: only the competent authority decides the status."
)


def outcome_label(outcome: str) -> str:
    return str(OUTCOME_LABELS.get(outcome, outcome))


def language() -> str:
    return get_language() or "en"


def list_label(iset: IndicatorSet, list_key: str) -> str:
    lst = iset.lists.get(list_key)
    return indicators.pick(lst.label, language()) if lst else list_key


def list_choices(iset: IndicatorSet) -> list[tuple[str, str]]:
    return [(key, indicators.pick(lst.label, language())) for key, lst in iset.lists.items()]
