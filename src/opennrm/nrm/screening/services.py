"""Writes for screenings: record, update the answers, attach to a case. Each audited, atomic.

The caller fetched the screening and the case through the access gate. Audit details hold
codes and counts only: never the subject, never the answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from opennrm.audit.services import record
from opennrm.cases.models import Case
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.nrm.screening import indicators
from opennrm.nrm.screening.indicators import IndicatorSet, answer_problems_of, combination_problem
from opennrm.nrm.screening.models import Screening
from opennrm.nrm.screening.subject import MAX_SUBJECT, seal_subject
from opennrm.tenancy.actor import Actor

UNSPECIFIED_GENDER = "NonSpecifiedUnknown"


def _clean_subject(errors: dict[str, list[str]], subject: str) -> str:
    subject = " ".join(subject.split())
    if len(subject) > MAX_SUBJECT:
        errors.setdefault("subject", []).append(_("At most %(n)d characters.") % {"n": MAX_SUBJECT})
    try:
        subject.encode("utf-8")
    except UnicodeEncodeError:
        errors.setdefault("subject", []).append(
            _("The text contains characters that are not valid.")
        )
    return subject


_LIST_PROBLEMS: Final = {
    "none": _lazy("Choose one of the indicator lists."),
    "unknown": _lazy("Choose one of the indicator lists."),
    "repeated": _lazy("Choose one list, or two lists: labour and sexual exploitation."),
    "age_groups": _lazy(
        "A screening covers adults or children, not both: choose lists of one age group."
    ),
    "same_exploitation": _lazy(
        "Two lists of one screening must be labour and sexual exploitation."
    ),
}


def _check_answers(
    errors: dict[str, list[str]],
    iset: IndicatorSet,
    list_keys: Sequence[str],
    answers: Mapping[str, str],
) -> None:
    problems = answer_problems_of([iset.list(k) for k in list_keys], answers)
    for indicator_id in sorted(problems):
        errors.setdefault("answers", []).append(
            _("%(id)s: an unknown indicator, or an answer other than present, absent or unknown.")
            % {"id": indicator_id}
        )


def _set_for(screening: Screening) -> IndicatorSet:
    try:
        return indicators.indicator_set(screening.data_version)
    except KeyError:
        raise ValidationError(
            {
                "answers": _(
                    "The indicator lists of version %(v)s are no longer installed; "
                    "record a new screening."
                )
                % {"v": screening.data_version}
            }
        ) from None


def record_screening(
    *,
    actor: Actor,
    list_key: str = "",
    list_keys: Sequence[str] = (),
    answers: Mapping[str, str] | None = None,
    subject: str = "",
    gender: str = UNSPECIFIED_GENDER,
    case: Case | None = None,
) -> Screening:
    """Record a screening in the actor's agency with the current version of the lists.

    One list (`list_key`), or with `list_keys` two lists of the same age group, labour and
    sexual exploitation, answered in one screening (its outcome is the union).
    """
    if actor.agency is None:
        raise ValueError("an actor without an agency cannot record screenings")
    iset = indicators.current_set()
    keys = list(list_keys) or ([list_key] if list_key else [])
    answers = dict(answers or {})
    errors: dict[str, list[str]] = {}
    problem = combination_problem(iset, keys)
    if problem:
        errors.setdefault("list_key", []).append(str(_LIST_PROBLEMS[problem]))
    else:
        _check_answers(errors, iset, keys, answers)
    subject = _clean_subject(errors, subject)
    gender = gender or UNSPECIFIED_GENDER
    if gender not in code_list(codes.GENDER):
        errors.setdefault("gender", []).append(
            _("%(value)s is not a valid choice.") % {"value": gender}
        )
    if errors:
        raise ValidationError(errors)
    assessment = indicators.evaluate_lists(iset, keys, answers)
    with transaction.atomic():
        screening = Screening(
            agency=actor.agency,
            case=case,
            list_key=keys[0],
            second_list_key=keys[1] if len(keys) > 1 else "",
            data_version=iset.version,
            answers=answers,
            result=assessment.to_json(),
            outcome=assessment.outcome,
            gender=gender,
            screened_by=actor.user,
            screened_at=timezone.now(),
        )
        seal_subject(screening, subject)
        screening.save()
        record(
            action="screening.recorded",
            actor_id=actor.user.id,
            agency_id=actor.agency.id,
            object_type="screening",
            object_id=screening.id,
            detail={
                "list": keys[0],
                "lists": keys,
                "version": iset.version,
                "outcome": assessment.outcome,
                "case": str(case.id) if case else None,
            },
        )
    return screening


def update_answers(
    *,
    actor: Actor,
    screening: Screening,
    answers: Mapping[str, str],
    replace: bool = True,
    subject: str | None = None,
) -> Screening:
    """Change the answers (all of them, or with `replace=False` only those given) and re-assess.

    The screening keeps the version of the lists it was recorded with.
    """
    iset = _set_for(screening)
    errors: dict[str, list[str]] = {}
    _check_answers(errors, iset, screening.list_keys, answers)
    if subject is not None:
        subject = _clean_subject(errors, subject)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        screening = Screening.objects.select_for_update().get(pk=screening.pk)
        before = dict(screening.answers)
        after = dict(answers) if replace else {**before, **answers}
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        previous = screening.outcome
        assessment = indicators.evaluate_lists(iset, screening.list_keys, after)
        screening.answers = after
        screening.result = assessment.to_json()
        screening.outcome = assessment.outcome
        fields = ["answers", "result", "outcome", "updated_at"]
        if subject is not None:
            seal_subject(screening, subject)
            fields += ["subject_enc", "kek_id", "wrapped_data_key"]
        screening.save(update_fields=fields)
        record(
            action="screening.changed",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="screening",
            object_id=screening.id,
            detail={
                "answers_changed": len(changed),
                "subject_changed": subject is not None,
                "previous_outcome": previous,
                "outcome": assessment.outcome,
            },
        )
    return screening


def attach_to_case(*, actor: Actor, screening: Screening, case: Case) -> Screening:
    """Attach a screening to its case (e.g. once the person is registered)."""
    if screening.case_id == case.id:
        return screening
    if screening.case_id is not None:
        raise ValidationError({"case": _("This screening is already attached to another case.")})
    with transaction.atomic():
        screening = Screening.objects.select_for_update().get(pk=screening.pk)
        if screening.case_id is not None:
            raise ValidationError(
                {"case": _("This screening is already attached to another case.")}
            )
        screening.case = case
        screening.save(update_fields=["case", "updated_at"])
        record(
            action="screening.attached",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="screening",
            object_id=screening.id,
            detail={"case": str(case.id)},
        )
    return screening
