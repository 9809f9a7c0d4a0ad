"""Writes for screenings: record, update the answers, attach to a case. Each audited, atomic.

The caller fetched the screening and the case through the access gate. Audit details hold
codes and counts only: never the subject, never the answers.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.services import record
from opennrm.cases.models import Case
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.nrm.screening import indicators
from opennrm.nrm.screening.indicators import IndicatorSet, answer_problems
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


def _check_answers(
    errors: dict[str, list[str]], iset: IndicatorSet, list_key: str, answers: Mapping[str, str]
) -> None:
    problems = answer_problems(iset.list(list_key), answers)
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
    list_key: str,
    answers: Mapping[str, str] | None = None,
    subject: str = "",
    gender: str = UNSPECIFIED_GENDER,
    case: Case | None = None,
) -> Screening:
    """Record a screening in the actor's agency with the current version of the lists."""
    if actor.agency is None:
        raise ValueError("an actor without an agency cannot record screenings")
    iset = indicators.current_set()
    answers = dict(answers or {})
    errors: dict[str, list[str]] = {}
    if list_key not in iset.lists:
        errors.setdefault("list_key", []).append(_("Choose one of the indicator lists."))
    else:
        _check_answers(errors, iset, list_key, answers)
    subject = _clean_subject(errors, subject)
    gender = gender or UNSPECIFIED_GENDER
    if gender not in code_list(codes.GENDER):
        errors.setdefault("gender", []).append(
            _("%(value)s is not a valid choice.") % {"value": gender}
        )
    if errors:
        raise ValidationError(errors)
    assessment = iset.evaluate(list_key, answers)
    with transaction.atomic():
        screening = Screening(
            agency=actor.agency,
            case=case,
            list_key=list_key,
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
                "list": list_key,
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
    _check_answers(errors, iset, screening.list_key, answers)
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
        assessment = iset.evaluate(screening.list_key, after)
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
