"""The demo's NRM workflow: providers, referrals, status files, payments, assistance, screenings.

The case registrations reproduce 2015-2016, and the workflow on top of them falls in the same
years, so the 2016 process indicators (referrals, status decisions, assistance) are not zero:

- the work done in 2016 (`PAST_STORIES`, `plan.assisted`, the answered referrals of 2016): status
  files decided in 2016, referrals answered, IOM's support plans and services delivered;
- the work in progress as it stood on `WORKFLOW_TODAY` (end of January 2017) on the cases
  identified from October 2016, so every reference user finds something waiting (the deadlines
  of these steps have long passed by the real today; "action needed" lists them all).

The plan (`plan_workflow`) is pure Python over the demo's registrations and a fixed seed;
`load_workflow` writes it through the public services, which validate and audit every step.
Referral services stamp the moment they run; the loader then dates each referral when the plan
says it was sent and answered (its audit events keep the real time of loading).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from django.utils import timezone

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.cases.services import record_consent
from opennrm.core.codes import CLOSED_STATUSES, UKRAINE
from opennrm.demo import facts as f
from opennrm.demo.cast import AGENCY_BY_KEY
from opennrm.demo.plan import DAY, PlannedPerson, PlannedRegistration, _days, _pick_some
from opennrm.nrm.assistance.models import ServiceProvider
from opennrm.nrm.assistance.services import (
    ProviderInput,
    add_provider,
    plan_service,
    record_delivery,
    record_plan,
)
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.referrals.services import accept_referral, decline_referral, refer_case
from opennrm.nrm.screening.services import record_screening
from opennrm.nrm.status import payment_services
from opennrm.nrm.status import services as status
from opennrm.nrm.status.models import OneTimePayment, StatusApplication
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency

WORKFLOW_SEED = f.SEED + 1
RECENT = dt.date(2016, 10, 1)  # cases identified from October 2016 on are still being worked
WORKFLOW_TODAY = dt.date(2017, 1, 31)  # the day the work in progress is shown as of
PAST_FROM, PAST_UNTIL = dt.date(2016, 1, 15), dt.date(2016, 8, 31)  # the work done in 2016
KRAMATORSK_OBLAST = "UA-14"  # Donetsk oblast: the hromada's own people and its IDPs

Row = tuple[PlannedPerson, PlannedRegistration]

PENDING, ACCEPTED, DECLINED = "pending", "accepted", "declined"

# Who takes each step of the status procedure: the receiving office, the oblast, the deciders.
HROMADA_USER = "hromada.caseworker"
OBLAST_USER = "oda.official"
NATIONAL_USER = "nss.decision_maker"
REGISTER, INTERVIEW, TO_OBLAST, TO_NATIONAL = "register", "interview", "to_oblast", "to_national"
GRANT, REFUSE, RETURN, CLAIM, PAY = "grant", "refuse", "return", "claim", "pay"
STEP_USER: dict[str, str] = {
    REGISTER: HROMADA_USER,
    INTERVIEW: HROMADA_USER,
    TO_OBLAST: HROMADA_USER,
    TO_NATIONAL: OBLAST_USER,
    GRANT: NATIONAL_USER,
    REFUSE: NATIONAL_USER,
    RETURN: NATIONAL_USER,
    CLAIM: HROMADA_USER,
    PAY: HROMADA_USER,
}

# Each accepted status referral's story: (step, days before WORKFLOW_TODAY), oldest first. With the
# default deadlines (3 days per local step, 10 for the decision, a month for the payment) the
# "_late" stories and the payment are overdue, the others on time.
STORIES: dict[str, tuple[tuple[str, int], ...]] = {
    "not_registered": (),
    "registered": ((REGISTER, 1),),
    "registered_late": ((REGISTER, 6),),
    "interviewed": ((REGISTER, 5), (INTERVIEW, 3)),
    "interviewed_late": ((REGISTER, 12), (INTERVIEW, 9)),
    "at_oblast": ((REGISTER, 8), (INTERVIEW, 6), (TO_OBLAST, 1)),
    "at_oblast_late": ((REGISTER, 15), (INTERVIEW, 13), (TO_OBLAST, 10)),
    "at_national": ((REGISTER, 10), (INTERVIEW, 8), (TO_OBLAST, 6), (TO_NATIONAL, 3)),
    "at_national_late": ((REGISTER, 30), (INTERVIEW, 28), (TO_OBLAST, 25), (TO_NATIONAL, 20)),
    "returned": (
        (REGISTER, 25),
        (INTERVIEW, 23),
        (TO_OBLAST, 21),
        (TO_NATIONAL, 18),
        (RETURN, 4),
    ),
    "granted": (
        (REGISTER, 60),
        (INTERVIEW, 58),
        (TO_OBLAST, 55),
        (TO_NATIONAL, 52),
        (GRANT, 45),
        (CLAIM, 40),
    ),
    "refused": ((REGISTER, 50), (INTERVIEW, 48), (TO_OBLAST, 45), (TO_NATIONAL, 42), (REFUSE, 35)),
}
# The status files decided in 2016: (step, days after the referral was accepted).
PAST_STORIES: dict[str, tuple[tuple[str, int], ...]] = {
    "granted_paid": (
        (REGISTER, 2),
        (INTERVIEW, 4),
        (TO_OBLAST, 6),
        (TO_NATIONAL, 9),
        (GRANT, 17),
        (CLAIM, 20),
        (PAY, 41),
    ),
    "granted_paid_late": (
        (REGISTER, 3),
        (INTERVIEW, 9),
        (TO_OBLAST, 14),
        (TO_NATIONAL, 20),
        (GRANT, 38),
        (CLAIM, 45),
        (PAY, 70),
    ),
    "granted": ((REGISTER, 1), (INTERVIEW, 3), (TO_OBLAST, 5), (TO_NATIONAL, 8), (GRANT, 15)),
    "refused": ((REGISTER, 2), (INTERVIEW, 5), (TO_OBLAST, 7), (TO_NATIONAL, 11), (REFUSE, 24)),
}
STATUS_CATEGORIES = ("CaseFacts", "Documents", "Identity")
DECLINE_REASON = (
    "The person stays in Zaporizhzhia, not in Kramatorsk hromada: the application is made to "
    "the social protection office at the place of stay."
)

DECLINE_REASON_FULL = "No place for counselling this month; please refer again in October."


@dataclass(frozen=True)
class PlannedProvider:
    agency: str  # agency key
    username: str  # who adds the entry: the agency's admin or the national coordinator
    name: str
    services: tuple[str, ...]
    oblast: str
    sexes: tuple[str, ...] = ()
    min_age: int | None = None
    max_age: int | None = None
    beds_total: int | None = None
    beds_free: int | None = None


PROVIDERS: tuple[PlannedProvider, ...] = (
    PlannedProvider(
        "shelter",
        "msp.coordinator",
        "Rehabilitation centre, shelter department",
        ("ShelterPlacement", "Medical", "Psychological"),
        "UA-48",
        min_age=18,
        beds_total=24,
        beds_free=7,
    ),
    PlannedProvider(
        "ngo",
        "msp.coordinator",
        "Psychological and legal help",
        ("Psychological", "LegalAid"),
        "UA-63",
    ),
    PlannedProvider(
        "ngo2",
        "ngo2.admin",
        "Counselling, legal aid and vocational training",
        ("Psychological", "LegalAid", "VocationalTraining"),
        "UA-23",
    ),
    PlannedProvider(
        "centre",
        "msp.coordinator",
        "Social support and psychological help",
        ("SocialCare", "Psychological"),
        "UA-12",
    ),
    PlannedProvider(
        "iom",
        "iom.admin",
        "Reintegration assistance",
        ("ReturnReintegration", "MicroGrant", "Medical"),
        "UA-30",
    ),
)


@dataclass(frozen=True)
class PlannedReferral:
    row: int  # index into the registrations; the case's owner refers it
    to: str  # agency key
    purpose: str
    categories: tuple[str, ...]
    answer: str = PENDING
    story: str = ""  # key in STORIES (or PAST_STORIES) for accepted status referrals
    note: str = ""
    sent_on: dt.date = WORKFLOW_TODAY
    answered_on: dt.date | None = None  # None while pending
    past: bool = False  # work done in 2016: its story is in PAST_STORIES

    def steps(self) -> list[tuple[str, dt.date]]:
        """The status story's steps with their dates."""
        if self.past:
            assert self.answered_on is not None
            start = self.answered_on
            return [(step, start + dt.timedelta(days=n)) for step, n in PAST_STORIES[self.story]]
        return [(step, WORKFLOW_TODAY - dt.timedelta(days=n)) for step, n in STORIES[self.story]]


@dataclass(frozen=True)
class PlannedAssistance:
    """IOM's assistance to one of its persons in 2016: a support plan and services delivered."""

    row: int
    objectives: str
    planned_on: dt.date
    services: tuple[tuple[str, dt.date, dt.date], ...]  # (type, delivered from, until)


@dataclass(frozen=True)
class PlannedScreening:
    username: str
    list_key: str
    answers: Mapping[str, str]
    gender: str
    row: int | None = None  # attached to this registration's case, else first contact only
    subject: str = ""


@dataclass
class WorkflowPlan:
    providers: tuple[PlannedProvider, ...] = PROVIDERS
    referrals: list[PlannedReferral] = field(default_factory=list)
    screenings: list[PlannedScreening] = field(default_factory=list)
    assisted: list[PlannedAssistance] = field(default_factory=list)

    @property
    def status_files(self) -> list[PlannedReferral]:
        """The referrals on which the hromada registered a status application."""
        return [r for r in self.referrals if r.story and r.steps()]


P = "present"
A = "absent"
LABOUR_PRESUMED = {  # deceived on wages and conditions, passport taken, debt, long hours
    "al.dr.wages": P,
    "al.dr.conditions_work": P,
    "al.dr.housing": P,
    "al.cd.documents": P,
    "al.cd.debt_bondage": P,
    "al.ec.excessive_hours": P,
    "al.ec.low_salary": P,
    "al.ec.bad_living": P,
}
LABOUR_INCOMPLETE = {"al.dr.wages": P, "al.dr.conditions_work": P, "al.vr.economic": P}
SEXUAL_PRESUMED = {
    "as.dr.nature_job": P,
    "as.dr.wages": P,
    "as.cd.documents": P,
    "as.cd.isolation": P,
    "as.cd.tasks_clients": P,
    "as.ec.excessive_hours": P,
    "as.ec.bad_living": P,
    "as.ec.low_salary": P,
}
SEXUAL_INCOMPLETE = {"as.dr.nature_job": P, "as.dr.travel": P, "as.ec.excessive_hours": A}


# --- the plan (pure Python) ------------------------------------------------------------------


def _open_recent(person: PlannedPerson, reg: PlannedRegistration) -> bool:
    return (
        reg.status not in CLOSED_STATUSES
        and reg.identified_on >= RECENT
        and person.citizenship == UKRAINE
        and not person.is_child
    )


def _open_past(person: PlannedPerson, reg: PlannedRegistration) -> bool:
    """Still open at the end of 2016 (services go only to open cases), identified in 2016."""
    return (
        reg.status not in CLOSED_STATUSES
        and PAST_FROM <= reg.identified_on <= PAST_UNTIL
        and person.citizenship == UKRAINE
        and not person.is_child
    )


def _local(person: PlannedPerson) -> bool:
    return person.is_idp or person.origin_oblast == KRAMATORSK_OBLAST


class _Picker:
    """Draws registrations by rule, each person at most once."""

    def __init__(self, rows: Sequence[Row], rng: random.Random) -> None:
        self.rows = rows
        self.rng = rng
        self.used: set[int] = set()

    def take(
        self,
        n: int,
        rule: Callable[[PlannedPerson, PlannedRegistration], bool],
        when: Callable[[PlannedPerson, PlannedRegistration], bool] = _open_recent,
    ) -> list[int]:
        found = [
            i
            for i, (person, reg) in enumerate(self.rows)
            if person.number not in self.used and when(person, reg) and rule(person, reg)
        ]
        if len(found) < n:
            raise ValueError(f"the demo plan has {len(found)} registrations for a rule, not {n}")
        chosen = sorted(self.rng.sample(found, n))
        self.used.update(self.rows[i][0].number for i in chosen)
        return chosen


def _by(
    agencies: tuple[str, ...],
    *,
    local: bool | None = None,
    form: str = "",
    not_known_to: tuple[str, ...] = ("hromada",),
) -> Callable[[PlannedPerson, PlannedRegistration], bool]:
    """Registrations of these agencies, of persons no agency in `not_known_to` registered."""

    def rule(person: PlannedPerson, reg: PlannedRegistration) -> bool:
        return (
            reg.agency in agencies
            and (local is None or _local(person) is local)
            and (not form or person.form == form)
            and not any(r.agency in not_known_to for r in person.registrations)
        )

    return rule


def plan_workflow(rows: Sequence[Row], seed: int = WORKFLOW_SEED) -> WorkflowPlan:
    """What the demo's agencies did in 2016 and are doing at `WORKFLOW_TODAY`, over the
    registrations `rows` (same order)."""
    rng = random.Random(seed)
    pick = _Picker(rows, rng)
    plan = WorkflowPlan()
    status_ref = ("StatusApplication", STATUS_CATEGORIES)
    _plan_past(rng, rows, pick, plan)

    # To the Kramatorsk hromada office for the status application: IDPs and people of the oblast.
    # The longest stories go to the earliest identified, so each starts after its case.
    stories = sorted(STORIES, key=lambda k: -max((n for _s, n in STORIES[k]), default=0))
    local = pick.take(4 + len(stories), _by(("iom", "ngo"), local=True))
    rng.shuffle(local)
    for row in local[:4]:
        plan.referrals.append(PlannedReferral(row, "hromada", *status_ref))
    ordered = sorted(local[4:], key=lambda i: (rows[i][1].identified_on, i))
    for row, story in zip(ordered, stories, strict=True):
        plan.referrals.append(PlannedReferral(row, "hromada", *status_ref, ACCEPTED, story))
    (declined,) = pick.take(1, _by(("ngo2",), local=False))
    plan.referrals.append(PlannedReferral(declined, "hromada", *status_ref, DECLINED))

    # To the shelter: one placed, two waiting for an answer.
    shelter = ("Shelter", ("CaseFacts", "Health", "Identity"))
    for row, answer in zip(
        pick.take(3, _by(("ngo", "ngo2", "iom"), form="LabourExploitation")),
        (ACCEPTED, PENDING, PENDING),
        strict=True,
    ):
        plan.referrals.append(PlannedReferral(row, "shelter", *shelter, answer))

    # Between the other agencies, so that each has a referral to answer or one answered.
    others = (
        ("police", "ngo", "Psychological", ("Contact", "Identity", "Psychosocial"), PENDING),
        ("ngo", "police", "CriminalProceedings", ("CaseFacts", "Identity", "Justice"), PENDING),
        ("border", "iom", "ReturnReintegration", ("CaseFacts", "Contact", "Identity"), PENDING),
        ("mfa", "iom", "ReturnReintegration", ("CaseFacts", "Contact", "Identity"), ACCEPTED),
        ("iom", "ngo", "Legal", ("CaseFacts", "Identity", "Justice"), ACCEPTED),
        ("ngo2", "centre", "Psychological", ("Contact", "Identity", "Psychosocial"), PENDING),
    )
    for source, to, purpose, categories, answer in others:
        (row,) = pick.take(1, _by((source,)))
        plan.referrals.append(PlannedReferral(row, to, purpose, categories, answer))

    # Screenings with the ILO/EC indicators: on registered cases, and two at the border.
    on_cases = (
        ("ngo.caseworker", "adult_labour", LABOUR_PRESUMED, "ngo", "LabourExploitation"),
        ("police.investigator", "adult_labour", LABOUR_PRESUMED, "police", "LabourExploitation"),
        ("iom.caseworker", "adult_labour", LABOUR_INCOMPLETE, "iom", "LabourExploitation"),
        ("iom.caseworker", "adult_sexual", SEXUAL_PRESUMED, "iom", "SexualExploitation"),
        ("hromada.caseworker", "adult_labour", LABOUR_PRESUMED, "hromada", "LabourExploitation"),
        ("ngo2.caseworker", "adult_labour", LABOUR_INCOMPLETE, "ngo2", "LabourExploitation"),
        ("mfa.consul", "adult_labour", LABOUR_INCOMPLETE, "mfa", "LabourExploitation"),
    )
    for username, list_key, answers, agency, form in on_cases:
        (row,) = pick.take(1, _by((agency,), form=form, not_known_to=()))
        person = rows[row][0]
        plan.screenings.append(
            PlannedScreening(username, list_key, answers, person.gender, row=row)
        )
    plan.referrals = [
        ref if ref.past else _dated(rng, rows[ref.row][1], ref) for ref in plan.referrals
    ]
    plan.screenings += [
        PlannedScreening(
            "border.guard",
            "adult_labour",
            LABOUR_PRESUMED,
            "Masculine",
            subject="Чоловік близько 40 років, повертався з будівництва у Московській області",
        ),
        PlannedScreening(
            "border.guard",
            "adult_sexual",
            SEXUAL_INCOMPLETE,
            "Feminine",
            subject="Жінка близько 25 років, їхала на роботу офіціанткою за кордон",
        ),
    ]
    return plan


def _dated(rng: random.Random, reg: PlannedRegistration, ref: PlannedReferral) -> PlannedReferral:
    """The work in progress: when the referral was sent and answered, after its case was
    identified and before its status story's first step, by `WORKFLOW_TODAY`."""
    identified = reg.identified_on
    if ref.story and STORIES[ref.story]:
        first = WORKFLOW_TODAY - dt.timedelta(days=max(n for _s, n in STORIES[ref.story]))
        if first - identified < dt.timedelta(days=3):
            raise ValueError(f"the status story {ref.story} starts before its case")
        sent = max(identified + DAY, first - _days(rng, 5, 12))
        answered = min(sent + _days(rng, 1, 3), first)
    elif ref.answer == PENDING:
        sent = min(max(identified + 3 * DAY, WORKFLOW_TODAY - _days(rng, 3, 20)), WORKFLOW_TODAY)
        answered = None
    else:
        sent = min(identified + _days(rng, 3, 20), WORKFLOW_TODAY - 5 * DAY)
        answered = sent + _days(rng, 1, 4)
    return replace(ref, sent_on=sent, answered_on=answered)


OBJECTIVES = (
    "Повернення до громади, медичне обстеження, допомога з працевлаштуванням.",
    "Медична допомога та психологічна підтримка; мікрогрант на власну справу.",
    "Відновлення документів, реінтеграція в родину, професійне навчання.",
    "Лікування, консультації юриста щодо невиплаченої заробітної плати, мікрогрант.",
)
IOM_SERVICES: f.Weights = (("ReturnReintegration", 50), ("Medical", 35), ("MicroGrant", 15))
ASSISTED = 60  # IOM's persons of 2016 with a support plan and services delivered


def _in_past(person: PlannedPerson, reg: PlannedRegistration) -> bool:
    return (
        PAST_FROM <= reg.identified_on <= PAST_UNTIL
        and person.citizenship == UKRAINE
        and not person.is_child
    )


def _plan_past(rng: random.Random, rows: Sequence[Row], pick: _Picker, plan: WorkflowPlan) -> None:
    """The work done in 2016: status files decided, referrals answered, IOM's assistance.

    Nothing is referred to IOM: IOM's own figures stay those of the persons it identified."""
    status_ref = ("StatusApplication", STATUS_CATEGORIES)
    past: list[tuple[int, str, str, tuple[str, ...], str, str]] = []
    local = pick.take(len(PAST_STORIES), _by(("iom", "ngo"), local=True), _in_past)
    for row, story in zip(local, PAST_STORIES, strict=True):
        past.append((row, "hromada", *status_ref, ACCEPTED, story))
    answered: tuple[tuple[str, str, str, tuple[str, ...], str, int], ...] = (
        ("iom", "ngo", "Psychological", ("Contact", "Identity", "Psychosocial"), ACCEPTED, 4),
        ("iom", "shelter", "Shelter", ("CaseFacts", "Health", "Identity"), ACCEPTED, 2),
        ("ngo", "police", "CriminalProceedings", ("CaseFacts", "Identity", "Justice"), ACCEPTED, 2),
        ("police", "ngo2", "Psychological", ("Contact", "Identity", "Psychosocial"), DECLINED, 1),
    )
    for source, to, purpose, categories, answer, n in answered:
        for row in pick.take(n, _by((source,), not_known_to=()), _in_past):
            past.append((row, to, purpose, categories, answer, ""))
    for row, to, purpose, categories, answer, story in past:
        sent = rows[row][1].identified_on + _days(rng, 3, 15)
        plan.referrals.append(
            PlannedReferral(
                row,
                to,
                purpose,
                categories,
                answer,
                story,
                sent_on=sent,
                answered_on=sent + _days(rng, 1, 3),
                past=True,
            )
        )
    for row in pick.take(ASSISTED, _by(("iom",), not_known_to=()), _open_past):
        planned = rows[row][1].identified_on + _days(rng, 1, 7)
        services = []
        for kind in _pick_some(rng, IOM_SERVICES, rng.choice((1, 1, 2))):
            start = planned + _days(rng, 0, 10)
            services.append((kind, start, min(start + _days(rng, 7, 60), f.DEMO_TODAY)))
        plan.assisted.append(
            PlannedAssistance(row, rng.choice(OBJECTIVES), planned, tuple(services))
        )


# --- writing it ------------------------------------------------------------------------------


class _Actors:
    def __init__(self) -> None:
        self._cache: dict[str, Actor] = {}

    def __call__(self, username: str) -> Actor:
        if username not in self._cache:
            self._cache[username] = actor_for(User.objects.get(username=username))
        return self._cache[username]


def _providers(plan: WorkflowPlan, agencies: Mapping[str, Agency], actors: _Actors) -> None:
    for p in plan.providers:
        add_provider(
            actor=actors(p.username),
            data=ProviderInput(
                agency=agencies[p.agency],
                services=list(p.services),
                oblast=p.oblast,
                name=p.name,
                sexes=list(p.sexes),
                min_age=p.min_age,
                max_age=p.max_age,
                beds_total=p.beds_total,
                beds_free=p.beds_free,
            ),
        )


def _status_story(
    steps: Sequence[tuple[str, dt.date]],
    case: Case,
    journal: str,
    agencies: Mapping[str, Agency],
    actors: _Actors,
) -> None:
    app: StatusApplication | None = None
    for step, on in steps:
        actor = actors(STEP_USER[step])
        if step == REGISTER:
            app = status.register_application(
                actor=actor,
                case=case,
                journal_number=journal,
                applied_on=on,
                documents=["Application", "IdentityDocumentCopy", "TravelDocuments"],
            )
            continue
        assert app is not None
        if step == INTERVIEW:
            app = status.record_interview(
                actor=actor,
                application=app,
                interviewed_on=on,
                consent_recorded=True,
                nondisclosure_signed=True,
            )
        elif step == TO_OBLAST:
            app = status.forward_to_oblast(
                actor=actor, application=app, to_agency=agencies["oda"], forwarded_on=on
            )
        elif step == TO_NATIONAL:
            app = status.forward_to_national(
                actor=actor, application=app, to_agency=agencies["nss"], forwarded_on=on
            )
        elif step == GRANT:
            app = status.grant_status(
                actor=actor,
                application=app,
                decided_on=on,
                certificate_number=f"НСС-{on.year}-{journal.split('/')[0].zfill(4)}",
                certificate_issued_on=on,
                certificate_valid_until=on.replace(year=on.year + 2) - dt.timedelta(days=1),
            )
        elif step == REFUSE:
            app = status.refuse_status(
                actor=actor, application=app, decided_on=on, reason="InsufficientEvidence"
            )
        elif step == RETURN:
            app = status.return_incomplete(
                actor=actor, application=app, decided_on=on, reason="MissingDocuments"
            )
        elif step == CLAIM:
            payment_services.claim_payment(
                actor=actor, application=app, claimed_on=on, category="AbleBodied"
            )
        elif step == PAY:
            payment = OneTimePayment.objects.get(application=app)
            payment_services.pay(actor=actor, payment=payment, paid_on=on)


def _at(day: dt.date) -> dt.datetime:
    """A moment of a working day, for the referral's timestamps."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30)))


def _referrals(
    plan: WorkflowPlan,
    rows: Sequence[Row],
    cases: Sequence[Case],
    agencies: Mapping[str, Agency],
    actors: _Actors,
) -> None:
    journal = {2016: 10, 2017: 0}  # the hromada journal's numbers so far, by year
    for ref in plan.referrals:
        reg = rows[ref.row][1]
        case, owner, to_agency = cases[ref.row], actors(reg.username), agencies[ref.to]
        record_consent(
            actor=owner,
            case=case,
            legal_basis="Consent",
            purposes=[ref.purpose],
            data_categories=list(ref.categories),
            recipient=to_agency,
            given_on=max(reg.identified_on, ref.sent_on - DAY),
        )
        referral = refer_case(
            actor=owner,
            case=case,
            to_agency=to_agency,
            purpose=ref.purpose,
            data_categories=list(ref.categories),
            note=ref.note,
        )
        if ref.answer != PENDING:
            answering = actors(_answering_user(ref.to))
            if ref.answer == DECLINED:
                reason = DECLINE_REASON if ref.to == "hromada" else DECLINE_REASON_FULL
                decline_referral(actor=answering, referral=referral, reason=reason)
            else:
                accept_referral(actor=answering, referral=referral)
        # The service stamped the moment it ran: date the referral when the plan says.
        Referral.objects.filter(pk=referral.pk).update(
            sent_at=_at(ref.sent_on),
            answered_at=_at(ref.answered_on) if ref.answered_on is not None else None,
        )
        steps = ref.steps() if ref.story else []
        if steps:
            year = steps[0][1].year
            journal[year] += 1
            _status_story(steps, case, f"{journal[year]}/{year}", agencies, actors)


def _assistance(
    plan: WorkflowPlan,
    rows: Sequence[Row],
    cases: Sequence[Case],
    agencies: Mapping[str, Agency],
    actors: _Actors,
) -> None:
    """IOM's support plans and the services it delivered in 2016."""
    provider = ServiceProvider.objects.get(agency=agencies["iom"])
    for assisted in plan.assisted:
        actor, case = actors(rows[assisted.row][1].username), cases[assisted.row]
        support = record_plan(actor=actor, case=case, objectives=assisted.objectives)
        for kind, start, until in assisted.services:
            service = plan_service(
                actor=actor,
                case=case,
                type=kind,
                planned_on=assisted.planned_on,
                plan=support,
                provider=provider,
            )
            record_delivery(
                actor=actor, service=service, delivered_from=start, delivered_until=until
            )


def _answering_user(agency: str) -> str:
    spec = AGENCY_BY_KEY[agency]
    return spec.registrar or next(u for u, role in spec.users if role == "caseworker")


def _screenings(plan: WorkflowPlan, cases: Sequence[Case], actors: _Actors) -> None:
    for s in plan.screenings:
        record_screening(
            actor=actors(s.username),
            list_key=s.list_key,
            answers=dict(s.answers),
            subject=s.subject,
            gender=s.gender,
            case=cases[s.row] if s.row is not None else None,
        )


def load_workflow(
    rows: Sequence[Row], cases: Sequence[Case], agencies: Mapping[str, Agency]
) -> WorkflowPlan:
    """Write the work in progress over the registered `cases` (in the order of `rows`)."""
    plan = plan_workflow(rows)
    actors = _Actors()
    _providers(plan, agencies, actors)
    _referrals(plan, rows, cases, agencies, actors)
    _assistance(plan, rows, cases, agencies, actors)
    _screenings(plan, cases, actors)
    return plan
