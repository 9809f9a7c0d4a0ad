"""Linkage writes: start and carry out runs, record review decisions, merge and unmerge.

The gate (``opennrm.access.linkage``) decides who may call these; every change appends an
audit event with ids, codes and counts only. A run decrypts identities in the process that
executes it (the worker) and hands them to the engine in memory.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.services import record
from opennrm.linkage import config
from opennrm.linkage.engine.run import CandidatePair as EnginePair
from opennrm.linkage.engine.run import LinkageSettings, link, link_new
from opennrm.linkage.models import CandidatePair, LinkageRun, MergeEvent, NationalLink
from opennrm.linkage.records import linkage_records
from opennrm.people.models import Person
from opennrm.tenancy.actor import Actor

logger = logging.getLogger(__name__)
Decision = CandidatePair.Decision
STALE_AFTER = dt.timedelta(hours=12)


def _audit(actor: Actor | None, action: str, object_id: uuid.UUID, **detail: Any) -> None:
    record(
        action=action,
        actor_id=actor.user.id if actor else None,
        agency_id=actor.agency_id if actor else None,
        object_type="linkage",
        object_id=object_id,
        detail=detail,
    )


# --- Runs -------------------------------------------------------------------------------------


def latest_model_run() -> LinkageRun | None:
    """The newest finished run over all persons: its model scores new registrations."""
    return (
        LinkageRun.objects.filter(kind=LinkageRun.Kind.FULL, status=LinkageRun.Status.DONE)
        .order_by("-finished_at")
        .first()
    )


def start_run(
    *, actor: Actor | None, kind: str = LinkageRun.Kind.FULL, enqueue: bool = True
) -> LinkageRun:
    """Queue a run for the worker; refused while another run is queued or running.

    With ``enqueue=False`` the caller carries it out itself (``execute_run``): the demo loader
    and ``opennrm link --now`` do.
    """
    if kind not in LinkageRun.Kind.values:
        raise ValidationError({"kind": [_("Choose all persons or new registrations.")]})
    base = None
    if kind == LinkageRun.Kind.NEW:
        base = latest_model_run()
        if base is None:
            raise ValidationError(
                {"kind": [_("Run over all persons first: new registrations need its model.")]}
            )
    with transaction.atomic():
        active = LinkageRun.objects.select_for_update().filter(
            status__in=[LinkageRun.Status.QUEUED, LinkageRun.Status.RUNNING]
        )
        # A run the worker never finished (stopped, machine restarted) does not block forever.
        stale_before = timezone.now() - STALE_AFTER
        active.filter(created_at__lt=stale_before).update(
            status=LinkageRun.Status.FAILED, error="stale", finished_at=timezone.now()
        )
        if active.filter(created_at__gte=stale_before).exists():
            raise ValidationError(_("A linkage run is already queued or running."))
        run = LinkageRun.objects.create(
            kind=kind,
            parameters=config.engine_settings().as_dict(),
            base_run=base,
            started_by=actor.user if actor else None,
        )
        _audit(actor, "linkage.run_started", run.id, kind=kind)
        if enqueue:
            transaction.on_commit(lambda: _enqueue(run.id))
    return run


def _enqueue(run_id: uuid.UUID) -> None:
    from opennrm.linkage.tasks import run_linkage

    run_linkage.enqueue(str(run_id))


class _Progress:
    """Writes a run's progress at most twice a second (its own short transactions)."""

    def __init__(self, run: LinkageRun, start: float, span: float) -> None:
        self.run, self.start, self.span, self.last = run, start, span, 0.0

    def __call__(self, step: str, fraction: float) -> None:
        now = time.monotonic()
        if now - self.last < 0.5 and fraction < 1.0:
            return
        self.last = now
        value = round(self.start + self.span * fraction, 3)
        LinkageRun.objects.filter(id=self.run.id).update(progress=value, step=step[:80])


def execute_run(run_id: uuid.UUID, *, spark_session: Any = None) -> LinkageRun:
    """Carry out a queued run (in the worker); a failure marks the run failed and re-raises."""
    run = LinkageRun.objects.get(id=run_id)
    if run.status != LinkageRun.Status.QUEUED:
        return run
    cutoff = timezone.now()
    LinkageRun.objects.filter(id=run.id).update(
        status=LinkageRun.Status.RUNNING, started_at=cutoff, step="loading registrations"
    )
    # The run's own parameters (thresholds, seed) over this machine's resources.
    settings = replace(config.engine_settings(), **run.parameters)
    try:
        if run.kind == LinkageRun.Kind.FULL:
            result = _full(run, settings, cutoff, spark_session)
        else:
            result = _new(run, settings, cutoff)
    except Exception as exc:
        LinkageRun.objects.filter(id=run.id).update(
            status=LinkageRun.Status.FAILED,
            finished_at=timezone.now(),
            error=type(exc).__name__[:200],
        )
        _audit(None, "linkage.run_failed", run.id, error=type(exc).__name__)
        raise
    run.refresh_from_db()
    return result


def _full(
    run: LinkageRun, settings: LinkageSettings, cutoff: Any, spark_session: Any
) -> LinkageRun:
    persons = Person.objects.filter(created_at__lte=cutoff)
    records = list(linkage_records(persons))
    if settings.backend == "spark" and spark_session is None:
        spark_session = config.spark_session()
    result = link(records, settings, progress=_Progress(run, 0.0, 0.9), spark_session=spark_session)
    _storing(run)
    with transaction.atomic():
        _store(run, result.pairs, replace=True)
        return _finish(
            run,
            cutoff=cutoff,
            model=result.model,
            records=len(records),
            pairs=len(result.pairs),
            matches=sum(p.probability >= settings.match_threshold for p in result.pairs),
            timings=result.timings,
        )


def _new(run: LinkageRun, settings: LinkageSettings, cutoff: Any) -> LinkageRun:
    base = run.base_run
    assert base is not None
    since = LinkageRun.objects.filter(status=LinkageRun.Status.DONE).aggregate(
        last=Max("persons_until")
    )["last"]
    new_q = Q(created_at__gt=since, created_at__lte=cutoff)
    new = list(linkage_records(Person.objects.filter(new_q)))
    existing = list(linkage_records(Person.objects.filter(created_at__lte=since)))
    pairs = link_new(existing, new, base.model, settings, progress=_Progress(run, 0.0, 0.9))
    _storing(run)
    with transaction.atomic():
        _store(run, pairs, replace=False)
        return _finish(
            run,
            cutoff=cutoff,
            model=base.model,
            records=len(new),
            pairs=len(pairs),
            matches=sum(p.probability >= settings.match_threshold for p in pairs),
            timings={},
        )


def _storing(run: LinkageRun) -> None:
    LinkageRun.objects.filter(id=run.id).update(step="storing pairs", progress=0.92)


def _store(run: LinkageRun, pairs: list[EnginePair], *, replace: bool) -> None:
    """Upsert the run's pairs; a decided pair keeps its decision. A full run drops the
    undecided pairs it no longer finds. Called in the transaction of ``_finish``: the pairs
    and the run's "linkage.run_finished" event are written together, so no pair changes
    without the event that names it (the kept statistics facts, ``reports.facts``, build
    everything again after that event and answer until it)."""
    with transaction.atomic():
        existing = {
            (str(p.left_id), str(p.right_id)): p
            for p in CandidatePair.objects.filter(left_id__in=[p.left for p in pairs]).only(
                "id", "left_id", "right_id"
            )
        }
        to_create, to_update = [], []
        for pair in pairs:
            row = existing.get((pair.left, pair.right))
            values = {
                "run": run,
                "probability": pair.probability,
                "weight": pair.weight,
                "explanation": pair.explanation_dict(),
            }
            if row is None:
                to_create.append(
                    CandidatePair(
                        left_id=uuid.UUID(pair.left), right_id=uuid.UUID(pair.right), **values
                    )
                )
            else:
                for name, value in values.items():
                    setattr(row, name, value)
                to_update.append(row)
        CandidatePair.objects.bulk_create(to_create, batch_size=1000)
        CandidatePair.objects.bulk_update(
            to_update, ["run", "probability", "weight", "explanation", "scored_at"], batch_size=1000
        )
        if replace:
            CandidatePair.objects.filter(decision=Decision.PENDING).exclude(run=run).delete()


def _finish(
    run: LinkageRun,
    *,
    cutoff: Any,
    model: dict[str, Any],
    records: int,
    pairs: int,
    matches: int,
    timings: dict[str, float],
) -> LinkageRun:
    with transaction.atomic():
        LinkageRun.objects.filter(id=run.id).update(
            status=LinkageRun.Status.DONE,
            progress=1.0,
            step="done",
            model=model,
            persons_until=cutoff,
            record_count=records,
            pair_count=pairs,
            match_count=matches,
            timings={k: round(v, 2) for k, v in timings.items()},
            finished_at=timezone.now(),
        )
        _audit(None, "linkage.run_finished", run.id, records=records, pairs=pairs, matches=matches)
    run.refresh_from_db()
    return run


# --- Review decisions, merges -------------------------------------------------------------------


def national_id(person_id: uuid.UUID) -> uuid.UUID:
    link_row = NationalLink.objects.filter(person_id=person_id).first()
    return link_row.national_id if link_row else person_id


def _members(national: uuid.UUID) -> list[uuid.UUID]:
    members = list(
        NationalLink.objects.filter(national_id=national).values_list("person_id", flat=True)
    )
    if (
        not NationalLink.objects.filter(person_id=national).exists()
        and Person.objects.filter(id=national).exists()
    ):
        members.append(national)  # the person whose own id is the national id
    return sorted(set(members))


def _set_national(person_ids: list[uuid.UUID], national: uuid.UUID) -> None:
    for person_id in person_ids:
        NationalLink.objects.update_or_create(
            person_id=person_id, defaults={"national_id": national}
        )


def decide(*, actor: Actor, pair: CandidatePair, decision: str) -> CandidatePair:
    """Record a reviewer's decision; "same person" merges, leaving "same person" unmerges."""
    if decision not in (Decision.SAME, Decision.DIFFERENT, Decision.UNSURE):
        raise ValidationError({"decision": [_("Choose same person, different persons or unsure.")]})
    with transaction.atomic():
        pair = CandidatePair.objects.select_for_update().get(id=pair.id)
        previous = pair.decision
        if previous == decision:
            return pair
        if previous == Decision.SAME:
            _undo_merge(actor, pair)
        pair.decision = decision
        pair.decided_by = actor.user
        pair.decided_at = timezone.now()
        pair.save(update_fields=["decision", "decided_by", "decided_at"])
        _audit(actor, "linkage.decided", pair.id, decision=decision, previous=previous)
        if decision == Decision.SAME:
            _merge(actor, pair)
    return pair


def _merge(actor: Actor, pair: CandidatePair) -> MergeEvent | None:
    left, right = national_id(pair.left_id), national_id(pair.right_id)
    if left == right:
        return None
    moving = _members(right)
    before = {str(p): str(national_id(p)) for p in moving}
    _set_national(moving, left)
    # The left person's own id becomes a national id: give it a row so membership queries
    # find it.
    _set_national([p for p in _members(left) if p == left], left)
    event = MergeEvent.objects.create(
        kind=MergeEvent.Kind.MERGE,
        pair=pair,
        before=before,
        after={p: str(left) for p in before},
        actor=actor.user,
    )
    _audit(actor, "linkage.merged", pair.id, merge=str(event.id), persons=len(moving) + 1)
    return event


def _undo_merge(actor: Actor, pair: CandidatePair) -> None:
    event = (
        MergeEvent.objects.filter(pair=pair, kind=MergeEvent.Kind.MERGE, undone_by__isnull=True)
        .order_by("-at")
        .first()
    )
    if event is None:
        return
    changed = {p: national_id(uuid.UUID(p)) for p in event.after}
    moved_since = [p for p, now in changed.items() if str(now) != event.after[p]]
    if moved_since:
        raise ValidationError(
            _("These registrations were merged again later; undo the later merge first.")
        )
    for person, old in event.before.items():
        _set_national([uuid.UUID(person)], uuid.UUID(old))
    undo = MergeEvent.objects.create(
        kind=MergeEvent.Kind.UNMERGE,
        pair=pair,
        undoes=event,
        before=event.after,
        after=event.before,
        actor=actor.user,
    )
    _audit(actor, "linkage.unmerged", pair.id, merge=str(event.id), unmerge=str(undo.id))


def unmerge(*, actor: Actor, pair: CandidatePair) -> CandidatePair:
    """Undo the merge a "same person" decision made; the pair goes back to the queue."""
    with transaction.atomic():
        pair = CandidatePair.objects.select_for_update().get(id=pair.id)
        if pair.decision != Decision.SAME:
            raise ValidationError(_("Only a pair decided as the same person can be unmerged."))
        _undo_merge(actor, pair)
        pair.decision = Decision.PENDING
        pair.decided_by = actor.user
        pair.decided_at = timezone.now()
        pair.save(update_fields=["decision", "decided_by", "decided_at"])
    return pair


def record_pair_view(actor: Actor, pair: CandidatePair) -> None:
    """Every side-by-side view of a pair is audited."""
    _audit(actor, "linkage.pair_viewed", pair.id)


def record_hint_shown(actor: Actor, case_id: uuid.UUID) -> None:
    """Every showing of the "may be known to another agency" hint is audited (the case id only)."""
    record(
        action="linkage.hint_shown",
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type="case",
        object_id=case_id,
        detail={},
    )
