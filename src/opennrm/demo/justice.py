"""The criminal-justice chain in the demo, as the seed tells it: "over nine months of 2016 the
Counter-Trafficking Department of the Ministry of Interior filed 86 cases for human trafficking".

86 proceedings are registered under art. 149 by the National Police's counter-trafficking unit
from January to September 2016, with a plausible spread of stages by 2017: some closed without
indictment, some still investigated, indictments, trials, convictions (and an acquittal). Their
victims are the police's own 2016 cases and cases the NGOs shared with the police for criminal
proceedings under the person's consent. One story runs end to end: proceeding 12016220000000123
(art. 149 part 2), two injured parties, one of them the NGO's client, a witness granted
protection, a trial with a hearing on 14 March 2017. A non-punishment request is released.
Everything is written through the justice services, so the audit trail is real.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils import timezone

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.cases.services import record_consent
from opennrm.demo.cast import AGENCY_BY_KEY
from opennrm.demo.frequencies import draw_name
from opennrm.justice import services
from opennrm.justice import workflow as wf
from opennrm.justice.models import Proceeding
from opennrm.justice.suspects import SuspectIdentity
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.referrals.services import accept_referral, refer_case
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency

SEED = 2016_149
PROCEEDINGS = 86
STORY_ERDR = "12016220000000123"
FIRST, LAST = dt.date(2016, 1, 4), dt.date(2016, 9, 30)
STORY_HEARING = dt.date(2017, 3, 14)
# How far each proceeding got by 2017, in order of registration (the earliest got furthest).
STAGE_PLAN: tuple[tuple[str, int], ...] = (
    ("convicted", 10),
    ("acquitted", 2),
    ("trial", 10),
    ("indictment", 14),
    ("closed", 20),
    ("suspicion", 18),
    ("investigation", 12),
)
ARTICLES = ("149.2",) * 6 + ("149.1",) * 3 + ("149.3",)
CLOSURE_GROUNDS = ("NoEvidence", "NoEvidence", "NoElements", "TermExpired")


@dataclass(frozen=True)
class JusticeSummary:
    proceedings: int
    participants: int
    convictions: int
    shared_cases: int


def _days(rng: random.Random, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(low, high))


def _registration_days(rng: random.Random) -> list[dt.date]:
    span = (LAST - FIRST).days
    return sorted(FIRST + dt.timedelta(days=rng.randint(0, span)) for _ in range(PROCEEDINGS))


def _share_with_police(
    cases: Sequence[Case], agencies: Mapping[str, Agency], count: int
) -> list[Case]:
    """NGO clients whose consent lets the police have their case for criminal proceedings."""
    police = agencies["police"]
    investigator = actor_for(User.objects.get(username="police.investigator"))
    owners = {agencies[k].id: k for k in ("ngo", "ngo2", "iom") if k in agencies}
    shared: list[Case] = []
    for case in cases:
        if len(shared) >= count:
            break
        if case.owner_agency_id not in owners or case.identified_on.year != 2016:
            continue
        if Referral.objects.filter(case=case, to_agency=police).exists():
            continue
        owner = actor_for(
            User.objects.get(username=AGENCY_BY_KEY[owners[case.owner_agency_id]].registrar)
        )
        record_consent(
            actor=owner,
            case=case,
            legal_basis="Consent",
            purposes=["CriminalProceedings"],
            data_categories=["Identity", "Contact", "CaseFacts", "Justice"],
            recipient=police,
            given_on=case.identified_on,
        )
        referral = refer_case(
            actor=owner,
            case=case,
            to_agency=police,
            purpose="CriminalProceedings",
            data_categories=["CaseFacts", "Contact", "Identity", "Justice"],
        )
        accept_referral(actor=investigator, referral=referral)
        # The services stamped the moment they ran: date the sharing when it happened.
        sent = timezone.make_aware(dt.datetime.combine(case.identified_on, dt.time(10, 30)))
        Referral.objects.filter(pk=referral.pk).update(
            sent_at=sent, answered_at=sent + dt.timedelta(days=1)
        )
        shared.append(case)
    return shared


def load_justice(cases: Sequence[Case], agencies: Mapping[str, Agency]) -> JusticeSummary:
    rng = random.Random(SEED)
    investigator = actor_for(User.objects.get(username="police.investigator"))
    prosecutor = actor_for(User.objects.get(username="prosecutor.kharkiv"))
    judge = actor_for(User.objects.get(username="court.judge"))
    police = agencies["police"]
    victims = [c for c in cases if c.owner_agency_id == police.id and c.identified_on.year == 2016]
    shared = _share_with_police(cases, agencies, count=6)
    days = _registration_days(rng)
    plan = [stage for stage, n in STAGE_PLAN for _ in range(n)]
    story = plan.index("trial")
    participants = convictions = 0
    next_victim = 0
    for index, (on, stage) in enumerate(zip(days, plan, strict=True)):
        erdr = STORY_ERDR if index == story else f"1201622{index + 1000:010d}"
        proceeding = services.register_proceeding(
            actor=investigator,
            erdr_number=erdr,
            registered_on=on,
            article="149.2" if index == story else rng.choice(ARTICLES),
            prosecution_agency=agencies["prosecutor"],
            prosecutor=prosecutor.user,
        )
        services.advance(
            actor=investigator, proceeding=proceeding, action=wf.START_INVESTIGATION, on=on
        )
        # Victims: one or two of the police's own 2016 cases; the story adds the NGO's client.
        linked: list[Case] = []
        for _ in range(1 + (rng.random() < 0.3)):
            if victims:
                linked.append(victims[next_victim % len(victims)])
                next_victim += 1
        if shared and (index == story or index % 15 == 0):
            linked.append(shared[(index // 15) % len(shared)])
        for case in dict.fromkeys(linked):
            services.add_participant(
                actor=investigator,
                proceeding=proceeding,
                case=case,
                role="InjuredParty",
                willing_to_testify=rng.random() < 0.7,
                questioned_on=on + _days(rng, 1, 20),
                questioning_mode="ChildFriendlyRoom"
                if case.age_at_identification is not None and case.age_at_identification < 18
                else "InPerson",
            )
            participants += 1
        if stage == "investigation":
            continue
        if stage == "closed":
            services.advance(
                actor=investigator,
                proceeding=proceeding,
                action=wf.CLOSE,
                on=on + _days(rng, 120, 300),
                closure_ground=rng.choice(CLOSURE_GROUNDS),
            )
            continue
        name = draw_name(rng, feminine=rng.random() < 0.3)
        suspect = services.add_suspect(
            actor=investigator,
            proceeding=proceeding,
            identity=SuspectIdentity(
                first_name=name.first_uk,
                middle_name=name.middle_uk,
                family_name=name.family_uk,
                birth_date=str(rng.randint(1960, 1995)),
            ),
            role=rng.choice(("Recruiter", "Recruiter", "Broker", "Exploiter", "Transporter")),
            gender="Masculine",
            citizenship="UA",
        )
        suspected_on = on + _days(rng, 30, 90)
        services.advance(
            actor=investigator, proceeding=proceeding, action=wf.NOTIFY_SUSPICION, on=suspected_on
        )
        if stage == "suspicion":
            continue
        indicted_on = suspected_on + _days(rng, 60, 120)
        services.advance(
            actor=prosecutor,
            proceeding=proceeding,
            action=wf.SEND_INDICTMENT,
            on=indicted_on,
            court=agencies["court"],
        )
        if stage == "indictment":
            continue
        trial_on = indicted_on + _days(rng, 20, 45)
        services.advance(actor=judge, proceeding=proceeding, action=wf.OPEN_TRIAL, on=trial_on)
        if stage == "trial":
            hearing = STORY_HEARING if index == story else trial_on + _days(rng, 30, 90)
            services.schedule_hearing(actor=judge, proceeding=proceeding, on=hearing)
            if index == story:
                _story_protection(investigator, proceeding, cases, agencies)
            continue
        verdict_on = trial_on + _days(rng, 60, 150)
        convicted = stage == "convicted"
        services.record_judgment(
            actor=judge,
            proceeding=proceeding,
            suspect=suspect,
            decided_on=verdict_on,
            verdict="Conviction" if convicted else "Acquittal",
            sentence_type=rng.choice(("Imprisonment", "Imprisonment", "Probation"))
            if convicted
            else "",
            sentence_months=rng.choice((60, 84, 96, 120)) if convicted else None,
            confiscation=convicted and rng.random() < 0.5,
        )
        convictions += convicted
        services.advance(
            actor=judge, proceeding=proceeding, action=wf.DELIVER_VERDICT, on=verdict_on
        )
        services.advance(
            actor=judge,
            proceeding=proceeding,
            action=wf.ENTER_INTO_FORCE,
            on=verdict_on + dt.timedelta(days=30),
        )
    _non_punishment(prosecutor, victims)
    return JusticeSummary(PROCEEDINGS, participants, convictions, len(shared))


def _story_protection(
    investigator: Actor,
    proceeding: Proceeding,
    cases: Sequence[Case],
    agencies: Mapping[str, Agency],
) -> None:
    """A witness of the story is granted protection: the confidentiality of her data."""
    police = agencies["police"]
    witness = next(
        c
        for c in cases
        if c.owner_agency_id == police.id
        and c.identified_on.year == 2016
        and not proceeding.participants.filter(case=c).exists()
    )
    participant = services.add_participant(
        actor=investigator,
        proceeding=proceeding,
        case=witness,
        role="Witness",
        willing_to_testify=True,
        questioned_on=proceeding.registered_on + dt.timedelta(days=12),
        questioning_mode="Video",
    )
    measure = services.request_protection(
        actor=investigator,
        participant=participant,
        measure="ConfidentialData",
        requested_on=proceeding.registered_on + dt.timedelta(days=14),
    )
    services.decide_protection(
        actor=investigator,
        measure=measure,
        decision="Granted",
        decided_on=proceeding.registered_on + dt.timedelta(days=20),
        valid_from=proceeding.registered_on + dt.timedelta(days=20),
        valid_until=STORY_HEARING + dt.timedelta(days=365),
    )


def _non_punishment(prosecutor: Actor, victims: Sequence[Case]) -> None:
    """A victim fined for working without a permit while exploited is released from liability."""
    if not victims:
        return
    request = services.record_non_punishment(
        actor=prosecutor,
        case=victims[0],
        liability="Administrative",
        requested_on=victims[0].identified_on + dt.timedelta(days=30),
    )
    services.decide_non_punishment(
        actor=prosecutor,
        request=request,
        outcome="Released",
        decided_on=victims[0].identified_on + dt.timedelta(days=60),
    )
