"""What the proceeding pages show: labels, the investigation term with its source, the
participants by case reference (a name only where the case's Identity shows to the user), the
suspects (names only to those who see suspects)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from opennrm.access import justice as gate
from opennrm.access import policy
from opennrm.access.fields import IDENTITY
from opennrm.access.roles import PROCEEDING_ADJUDICATE, PROCEEDING_PROSECUTE, PROCEEDING_RECORD
from opennrm.access.scope import field_scope
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.justice import queries
from opennrm.justice import workflow as wf
from opennrm.justice.models import Participant, Proceeding, Suspect
from opennrm.justice.suspects import open_identity as open_suspect
from opennrm.people.identity import open_identity
from opennrm.people.models import Person
from opennrm.tenancy.actor import Actor
from opennrm.web.dates import short_date

NAME_COLUMNS = ("first_name", "middle_name", "family_name")
DASH = "—"


def label(list_name: str, value: str) -> str:
    return code_list(list_name).label(value) if value else DASH


def stage_label(stage: str) -> str:
    return str(wf.STATE_LABELS.get(stage, stage))


def action_label(action: str) -> str:
    try:
        return str(wf.WORKFLOW.transition(action).label)
    except KeyError:
        return action


def day(value: dt.date | None) -> str:
    return short_date(value) or DASH


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    overdue: bool
    source: str


def deadline(proceeding: Proceeding, today: dt.date) -> Deadline | None:
    """The end of the pre-trial investigation term with its source (CPC art. 219 part 1)."""
    due = queries.investigation_deadline(proceeding)
    if due is None:
        return None
    if proceeding.suspicion_notified_on is not None:
        source = _(
            "Criminal Procedure Code art. 219 part 1: %(months)d months after the notice of "
            "suspicion"
        ) % {"months": settings.OPENNRM_JUSTICE_INVESTIGATION_MONTHS}
    else:
        source = _(
            "Criminal Procedure Code art. 219 part 1: %(months)d months from registration "
            "while no one is notified of suspicion"
        ) % {"months": settings.OPENNRM_JUSTICE_PRE_SUSPICION_MONTHS}
    return Deadline(due=due, overdue=due < today, source=source)


def deadline_rule() -> str:
    """The rule of the deadline column, as the list explains it."""
    return _(
        "End of the pre-trial investigation term (Criminal Procedure Code art. 219 part 1): "
        "%(after)d months after the notice of suspicion, %(before)d months from registration "
        "before it. Configured by OPENNRM_JUSTICE_INVESTIGATION_MONTHS and "
        "OPENNRM_JUSTICE_PRE_SUSPICION_MONTHS."
    ) % {
        "after": settings.OPENNRM_JUSTICE_INVESTIGATION_MONTHS,
        "before": settings.OPENNRM_JUSTICE_PRE_SUSPICION_MONTHS,
    }


def list_rows(proceedings: list[Proceeding], today: dt.date) -> list[dict[str, Any]]:
    return [
        {
            "proceeding": p,
            "url": reverse("web:proceeding_detail", kwargs={"proceeding_id": p.id}),
            "article": label(codes.CC_ARTICLE, p.article),
            "stage": stage_label(p.stage),
            "deadline": deadline(p, today),
            "next_hearing": getattr(p, "next_hearing", None),
        }
        for p in proceedings
    ]


def _named(actor: Actor, agency_id: Any, user: Any) -> str:
    """A user in charge, named only within their own agency (`policy.shows_staff`)."""
    if user is None:
        return DASH
    if policy.shows_staff(actor, agency_id):
        return str(user.get_username())
    return _("(another agency's staff)")


def facts(actor: Actor, p: Proceeding) -> list[tuple[str, str]]:
    rows = [
        (_("ERDR number"), p.erdr_number),
        (_("Registered in the ERDR on"), day(p.registered_on)),
        (_("Legal qualification"), label(codes.CC_ARTICLE, p.article)),
        (_("Stage"), f"{stage_label(p.stage)} ({_('since')} {day(p.stage_since)})"),
        (_("Registering unit"), p.registering_agency.display_name),
        (_("Investigator in charge"), _named(actor, p.registering_agency_id, p.investigator)),
        (
            _("Prosecutor's office"),
            p.prosecution_agency.display_name if p.prosecution_agency else DASH,
        ),
        (_("Prosecutor in charge"), _named(actor, p.prosecution_agency_id, p.prosecutor)),
        (_("Court"), p.court.name if p.court else DASH),
    ]
    if p.suspicion_notified_on:
        rows.append((_("Notice of suspicion"), day(p.suspicion_notified_on)))
    if p.closure_ground:
        rows.append((_("Ground for closing"), label(codes.CLOSURE_GROUND, p.closure_ground)))
    return rows


def qualifications(p: Proceeding) -> list[dict[str, Any]]:
    history = list(p.qualifications.all())
    return [
        {
            "since": q.since,
            "article": label(codes.CC_ARTICLE, q.article),
            "current": index == len(history) - 1,
        }
        for index, q in enumerate(history)
    ]


SIDE_AGENCY = {
    PROCEEDING_RECORD: "registering_agency",
    PROCEEDING_PROSECUTE: "prosecution_agency",
    PROCEEDING_ADJUDICATE: "court",
}


def timeline(p: Proceeding) -> list[dict[str, Any]]:
    """The registration, then each step of the stage table, with the side that took it."""
    rows: list[dict[str, Any]] = [
        {
            "on": p.registered_on,
            "label": _("Registered in the ERDR"),
            "stage": stage_label(wf.REGISTERED),
            "side": p.registering_agency.display_name,
        }
    ]
    for step in p.steps.all():
        try:
            permission = wf.WORKFLOW.transition(step.action).permission
        except KeyError:
            permission = ""
        agency = getattr(p, SIDE_AGENCY.get(permission, ""), None) if permission else None
        rows.append(
            {
                "on": step.on,
                "label": action_label(step.action),
                "stage": stage_label(step.to_stage),
                "side": agency.display_name if agency is not None else DASH,
            }
        )
    return rows


def suspect_labels(actor: Actor, suspects: list[Suspect]) -> dict[Any, str]:
    """How each suspect is named to the actor: the name with `suspect.view`, else a number."""
    sees = gate.sees_suspects(actor)
    out = {}
    for index, s in enumerate(sorted(suspects, key=lambda s: s.added_at), start=1):
        role = label(codes.CRIME_ROLE, s.role)
        if sees:
            identity = open_suspect(s)
            out[s.id] = f"{identity.full_name or ', '.join(identity.aliases)} ({role})"
        else:
            out[s.id] = _("Person %(n)d (%(role)s)") % {"n": index, "role": role}
    return out


def suspect_rows(actor: Actor, suspects: list[Suspect]) -> list[dict[str, Any]]:
    sees = gate.sees_suspects(actor)
    labels = suspect_labels(actor, suspects)
    rows = []
    for s in sorted(suspects, key=lambda s: s.added_at):
        identity = open_suspect(s) if sees else None
        rows.append(
            {
                "label": labels[s.id],
                "birth_date": identity.birth_date if identity else "",
                "aliases": ", ".join(identity.aliases) if identity else "",
                "role": label(codes.CRIME_ROLE, s.role),
                "status": label(codes.SUSPECT_STATUS, s.status),
                "citizenship": label(codes.COUNTRY, s.citizenship),
            }
        )
    return rows


def participant_labels(
    actor: Actor, participants: list[Participant], *, with_role: bool = True
) -> dict[Any, str]:
    """Each participant as the actor may see them: the case reference, the role, and the name
    only where the case's Identity shows to the actor (access.scope)."""
    cases = [p.case for p in participants]
    scope = field_scope(actor, [c.id for c in cases])
    shown = [c for c in cases if scope.shows(c, IDENTITY)]
    persons = Person.objects.in_bulk([c.person_id for c in shown])
    names = {
        c.id: open_identity(persons[c.person_id], columns=NAME_COLUMNS).full_name
        for c in shown
        if c.person_id in persons
    }
    out = {}
    for p in participants:
        text = _("Case %(ref)s") % {"ref": p.case.reference}
        if with_role:
            text = _("Case %(ref)s, %(role)s") % {
                "ref": p.case.reference,
                "role": label(codes.PROCEDURAL_ROLE, p.role),
            }
        name = names.get(p.case_id)
        out[p.id] = f"{name} — {text}" if name else text
    return out


def participant_rows(actor: Actor, participants: list[Participant]) -> list[dict[str, Any]]:
    case_ids = [p.case_id for p in participants]
    visible = set(policy.visible_cases(actor).filter(id__in=case_ids).values_list("id", flat=True))
    labels = participant_labels(actor, participants, with_role=False)
    rows = []
    for p in participants:
        testify = {True: _("yes"), False: _("no"), None: _("not known")}[p.willing_to_testify]
        questioned = DASH
        if p.questioned_on:
            questioned = day(p.questioned_on)
            if p.questioning_mode:
                questioned += f" ({label(codes.QUESTIONING_MODE, p.questioning_mode)})"
        rows.append(
            {
                "participant": p,
                "label": labels[p.id],
                "reference": p.case.reference,
                "case_url": reverse("web:case_detail", kwargs={"case_id": p.case_id})
                if p.case_id in visible
                else "",
                "role": label(codes.PROCEDURAL_ROLE, p.role),
                "testify": testify,
                "questioned": questioned,
                "protection": [
                    {
                        "measure": m,
                        "label": label(codes.PROTECTION_MEASURE, m.measure),
                        "decision": label(codes.PROTECTION_DECISION, m.decision),
                    }
                    for m in p.protection.all()
                ],
                "compensation": [
                    {"item": c, "route": label(codes.COMPENSATION_ROUTE, c.route)}
                    for c in p.compensation.all()
                ],
            }
        )
    return rows


def hearing_rows(p: Proceeding) -> list[dict[str, Any]]:
    return [
        {"hearing": h, "outcome": label(codes.HEARING_OUTCOME, h.outcome)} for h in p.hearings.all()
    ]


def judgment_rows(p: Proceeding, suspects: dict[Any, str]) -> list[dict[str, Any]]:
    return [
        {
            "judgment": j,
            "accused": suspects.get(j.suspect_id, DASH),
            "verdict": label(codes.VERDICT, j.verdict),
            "sentence": label(codes.SENTENCE_TYPE, j.sentence_type) if j.sentence_type else DASH,
        }
        for j in sorted(p.judgments.all(), key=lambda j: j.decided_on)
    ]
