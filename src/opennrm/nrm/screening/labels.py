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


# The section of the act items (child lists): recruitment for exploitation, without means.
ACT_SECTION: Final = _(
    "The act: recruitment, transport, transfer, harbouring or receipt (for a child, the means "
    "are not required)"
)
# Shown with the name of a list that is not checked against the brochure, wherever it is used.
VERIFY_MARK: Final = _("reconstructed list, verify against the ILO/EC brochure")
VERIFY_NOTICE: Final = _(
    "This list is reconstructed: its items and strengths were not checked against the ILO/EC "
    "brochure and may differ from it. Use the result with care, as a prompt for questions, and "
    "report any difference to the administrator of the system."
)
# The value of a choice of two lists (a mixed screening), e.g. "adult_labour+adult_sexual".
MIXED_SEPARATOR: Final = "+"


def list_label(iset: IndicatorSet, list_key: str) -> str:
    """The list's name in the active language, with the "verify" mark when it is reconstructed."""
    lst = iset.lists.get(list_key)
    if lst is None:
        return list_key
    label = indicators.pick(lst.label, language())
    return f"{label} ({VERIFY_MARK})" if lst.needs_verify else label


def lists_label(iset: IndicatorSet, list_keys: list[str]) -> str:
    """The names of a screening's lists (two for a mixed screening)."""
    return " + ".join(list_label(iset, key) for key in list_keys)


def lists_to_verify(iset: IndicatorSet, list_keys: list[str]) -> list[str]:
    """The keys of the lists among these that carry the "verify" marker."""
    return [k for k in list_keys if k in iset.lists and iset.lists[k].needs_verify]


def mixed_pairs(iset: IndicatorSet) -> list[tuple[str, str]]:
    """Labour and sexual list of each age group, in the file's order: the mixed screenings."""
    pairs = []
    for key, lst in iset.lists.items():
        if lst.exploitation != "labour":
            continue
        for other, olst in iset.lists.items():
            if olst.age_group == lst.age_group and olst.exploitation == "sexual":
                pairs.append((key, other))
    return pairs


def list_choices(iset: IndicatorSet, *, mixed: bool = False) -> list[tuple[str, str]]:
    """One choice per list; with `mixed`, a choice per labour + sexual pair after each group."""
    choices = [(key, list_label(iset, key)) for key in iset.lists]
    if mixed:
        for first, second in mixed_pairs(iset):
            label = _("%(lists)s (mixed: both lists in one screening)") % {
                "lists": lists_label(iset, [first, second])
            }
            choices.append((f"{first}{MIXED_SEPARATOR}{second}", str(label)))
    return choices
