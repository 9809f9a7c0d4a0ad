"""Screening services, encryption of the subject, the access gate and the timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import translation

from opennrm.access.roles import SCREENING_RECORD, SCREENING_VIEW
from opennrm.access.screening import get_screening_for, subject_scope, visible_screenings
from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.cases.services import record_consent
from opennrm.nrm.referrals.services import accept_referral, refer_case
from opennrm.nrm.screening import queries
from opennrm.nrm.screening.models import Screening
from opennrm.nrm.screening.services import attach_to_case, record_screening, update_answers
from opennrm.nrm.screening.subject import open_subject, rewrap_all
from opennrm.nrm.screening.timeline import action_items, timeline_entries
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency, Membership
from opennrm.vault.aead import DecryptionError
from opennrm.vault.keyring import current_keyring, generate_keyring
from tests.nrm.test_screening_rules import CONSTRUCTION_SITE
from tests.sqlite_files import database_bytes
from tests.test_people import _all_text_in_database

SUBJECT = "Тарас, чоловік близько 40 років, з будівництва"


@pytest.fixture
def screening(actor_a: Actor) -> Screening:
    return record_screening(
        actor=actor_a,
        list_key="adult_labour",
        answers=CONSTRUCTION_SITE,
        subject=SUBJECT,
        gender="Masculine",
    )


@pytest.fixture
def actor_b(outsider: User) -> Actor:
    return actor_for(outsider)


def test_recording_stores_the_result_the_version_and_one_audit_event(
    screening: Screening, actor_a: Actor
) -> None:
    screening.refresh_from_db()
    assert screening.outcome == "presumed_victim"
    assert screening.data_version == "2009-09.2"
    assert [d["number"] for d in screening.result["dimensions"] if d["positive"]] == [1, 4, 5]
    assert screening.agency == actor_a.agency
    assert screening.screened_by == actor_a.user
    assert screening.case is None
    event = AuditEvent.objects.get(action="screening.recorded")
    assert event.object_id == str(screening.id)
    assert event.detail == {
        "list": "adult_labour",
        "lists": ["adult_labour"],
        "version": "2009-09.2",
        "outcome": "presumed_victim",
        "case": None,
    }
    assert AuditEvent.objects.count() == 1


def test_the_subject_is_encrypted_and_bound_to_its_row(
    screening: Screening, actor_a: Actor
) -> None:
    assert open_subject(Screening.objects.get(pk=screening.pk)) == SUBJECT
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM screening_screening")
        rows = cursor.fetchall()
        cursor.execute("SELECT detail FROM audit_auditevent")
        rows += cursor.fetchall()
    dump = repr(rows)
    for word in ("Тарас", "будівництва", SUBJECT):
        assert word not in dump
        for row in rows:
            for value in row:
                if isinstance(value, bytes | memoryview):
                    assert word.encode() not in bytes(value)
    other = record_screening(actor=actor_a, list_key="adult_labour", subject="Інший")
    other.subject_enc = screening.subject_enc  # a ciphertext moved to another row
    with pytest.raises(DecryptionError):
        open_subject(other)
    with pytest.raises(DecryptionError):
        open_subject(screening, ring=generate_keyring())


@pytest.mark.django_db(transaction=True)
def test_no_table_and_no_file_byte_holds_the_subject(actor_a: Actor) -> None:
    screening = record_screening(actor=actor_a, list_key="adult_labour", subject=SUBJECT)
    text = _all_text_in_database()
    assert str(screening.id).replace("-", "") in text.replace("-", "")  # the scan sees the row
    for word in ("Тарас", "будівництва"):
        assert word not in text
    if connection.vendor != "sqlite":
        return  # PostgreSQL: the raw SQL scan above is the check
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(FULL)")
    path = Path(str(connection.settings_dict["NAME"]))
    raw = database_bytes(path)  # read by a child: SQLite's locks stay
    assert screening.id.hex.encode() in raw
    for word in ("Тарас", "будівництва"):
        assert word.encode("utf-8") not in raw
        assert word.encode("utf-16-le") not in raw


def test_key_rotation_rewraps_screening_keys(screening: Screening) -> None:
    ring = current_keyring().with_new_kek()
    assert rewrap_all(ring=ring) == 1
    stored = Screening.objects.get(pk=screening.pk)
    assert stored.kek_id == ring.active_kek_id
    old = current_keyring().active_kek_id
    assert open_subject(stored, ring=ring.without_kek(old)) == SUBJECT


def test_invalid_input_is_refused_by_field(actor_a: Actor) -> None:
    with pytest.raises(ValidationError) as refused:
        record_screening(
            actor=actor_a,
            list_key="adult_labour",
            answers={"al.dr.wages": "yes", "cl.dr.wages": "present"},
            subject="x" * 201,
            gender="Robot",
        )
    assert set(refused.value.message_dict) == {"answers", "subject", "gender"}
    with pytest.raises(ValidationError) as no_list:
        record_screening(actor=actor_a, list_key="adults")
    assert set(no_list.value.message_dict) == {"list_key"}
    assert Screening.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_update_reassesses_and_audits_counts_not_answers(
    screening: Screening, actor_a: Actor
) -> None:
    changed = update_answers(
        actor=actor_a,
        screening=screening,
        answers={"al.cd.documents": "unknown", "al.cd.debt_bondage": "absent"},
        replace=False,
    )
    assert changed.outcome == "incomplete"
    assert "al.cd.documents" in changed.result["missing"]
    assert changed.answers["al.dr.wages"] == "present"  # kept: replace=False
    event = AuditEvent.objects.get(action="screening.changed")
    assert event.detail == {
        "answers_changed": 2,
        "subject_changed": False,
        "previous_outcome": "presumed_victim",
        "outcome": "incomplete",
    }
    replaced = update_answers(actor=actor_a, screening=changed, answers={}, subject="Тарас")
    assert replaced.answers == {}
    assert open_subject(replaced) == "Тарас"
    assert replaced.data_version == "2009-09.2"


def test_attach_to_case_later_once_and_only_once(
    screening: Screening,
    actor_a: Actor,
    make_case: Callable[..., Case],
) -> None:
    case = make_case(actor_a)
    attached = attach_to_case(actor=actor_a, screening=screening, case=case)
    assert attached.case == case
    event = AuditEvent.objects.get(action="screening.attached")
    assert event.detail == {"case": str(case.id)}
    assert attach_to_case(actor=actor_a, screening=attached, case=case) == attached  # no-op
    with pytest.raises(ValidationError):
        attach_to_case(actor=actor_a, screening=attached, case=make_case(actor_a))
    assert AuditEvent.objects.filter(action="screening.attached").count() == 1


def test_recording_for_a_case_from_the_start(actor_a: Actor, shevchenko_case: Case) -> None:
    screening = record_screening(actor=actor_a, list_key="adult_labour", case=shevchenko_case)
    assert screening.case == shevchenko_case
    event = AuditEvent.objects.get(action="screening.recorded")
    assert event.detail["case"] == str(shevchenko_case.id)


# --- the access gate -------------------------------------------------------------------------


def test_another_agency_neither_sees_nor_fetches_a_screening(
    screening: Screening, actor_b: Actor
) -> None:
    assert list(visible_screenings(actor_b)) == []
    with pytest.raises(Http404):
        get_screening_for(actor_b, screening.id, SCREENING_VIEW)
    with pytest.raises(Http404):
        get_screening_for(actor_b, "not-a-uuid", SCREENING_VIEW)


def test_roles_without_screening_view_see_nothing_and_without_record_get_403(
    screening: Screening, agency_a: Agency, make_user: Callable[..., User]
) -> None:
    statistician = actor_for(make_user("stat", agency_a, "statistician"))
    assert list(visible_screenings(statistician)) == []
    prosecutor = actor_for(make_user("pros", agency_a, "prosecutor"))
    assert get_screening_for(prosecutor, screening.id, SCREENING_VIEW) == screening
    with pytest.raises(PermissionDenied):
        get_screening_for(prosecutor, screening.id, SCREENING_RECORD)


def _share(owner: Actor, case: Case, to: Agency, recipient: User, categories: list[str]) -> None:
    record_consent(
        actor=owner,
        case=case,
        legal_basis="Consent",
        purposes=["Shelter"],
        data_categories=categories,
        recipient=to,
        given_on=dt.date(2016, 3, 15),
    )
    referral = refer_case(
        actor=owner, case=case, to_agency=to, purpose="Shelter", data_categories=categories
    )
    accept_referral(actor=actor_for(recipient), referral=referral)


@pytest.mark.parametrize(
    ("categories", "visible", "subject_shown"),
    [
        (["Identity", "CaseFacts"], True, True),
        (["CaseFacts"], True, False),
        (["Identity"], False, False),
    ],
)
def test_a_shared_case_shows_its_screening_read_only_within_the_share(
    categories: list[str],
    visible: bool,
    subject_shown: bool,
    agency_a: Agency,
    agency_b: Agency,
    make_user: Callable[..., User],
    make_case: Callable[..., Case],
) -> None:
    # The border guards (agency B) screened the man at the border and registered his case;
    # they refer it to the NGO (agency A) for shelter, sharing some data categories.
    guard = actor_for(make_user("guard", agency_b, "border_guard"))
    case_b = make_case(guard)
    screening = record_screening(actor=guard, list_key="adult_labour", case=case_b, subject="Тарас")
    ngo_user = make_user("cw", agency_a, "caseworker")
    ngo = actor_for(ngo_user)
    assert screening not in visible_screenings(ngo)
    _share(guard, case_b, agency_a, ngo_user, categories)
    assert (screening in visible_screenings(ngo)) is visible
    if not visible:
        with pytest.raises(Http404):
            get_screening_for(ngo, screening.id, SCREENING_VIEW)
        return
    seen = get_screening_for(ngo, screening.id, SCREENING_VIEW)
    assert seen == screening
    assert subject_scope(ngo).sees(seen) is subject_shown
    assert subject_scope(guard).sees(seen) is True
    with pytest.raises(PermissionDenied):
        get_screening_for(ngo, screening.id, SCREENING_RECORD)


def test_a_user_in_two_agencies_sees_no_screening(
    screening: Screening, agency_b: Agency, caseworker: User
) -> None:
    Membership.objects.create(user=caseworker, agency=agency_b, role="supervisor")
    assert list(visible_screenings(actor_for(caseworker))) == []


# --- queries and the timeline ----------------------------------------------------------------


def test_filters_and_case_references(
    screening: Screening, actor_a: Actor, make_case: Callable[..., Case]
) -> None:
    incomplete = record_screening(actor=actor_a, list_key="child_labour")
    case = make_case(actor_a)
    attach_to_case(actor=actor_a, screening=incomplete, case=case)
    mine = visible_screenings(actor_a)
    by = queries.filter_screenings
    assert list(by(mine, queries.ScreeningFilters(list_key="child_labour"))) == [incomplete]
    assert list(by(mine, queries.ScreeningFilters(outcome="presumed_victim"))) == [screening]
    assert list(by(mine, queries.ScreeningFilters(attached=queries.ATTACHED))) == [incomplete]
    assert list(by(mine, queries.ScreeningFilters(attached=queries.UNATTACHED))) == [screening]
    cases = Case.objects.filter(owner_agency=actor_a.agency)
    assert queries.case_by_reference(cases, case.reference) == case
    assert queries.case_by_reference(cases, case.reference.lower()) == case
    assert queries.case_by_reference(cases, str(case.id)) == case
    assert queries.case_by_reference(cases, "nothing") is None
    assert queries.case_by_reference(Case.objects.none(), case.reference) is None


def test_timeline_and_action_items(
    screening: Screening, actor_a: Actor, actor_b: Actor, shevchenko_case: Case
) -> None:
    incomplete = record_screening(
        actor=actor_a, list_key="adult_labour", case=shevchenko_case, answers={}
    )
    with translation.override("en"):
        entries = timeline_entries(shevchenko_case)
    assert [e.kind for e in entries] == ["screening.recorded"]
    assert "Incomplete" in entries[0].label
    assert entries[0].agency_id == actor_a.agency_id
    cases = Case.objects.filter(owner_agency=actor_a.agency)
    items = action_items(actor_a, cases)
    assert [(i.kind, i.case_id) for i in items] == [
        ("screening.incomplete", shevchenko_case.id),
        ("screening.refer", None),
    ]
    assert items[0].url == f"/screenings/{incomplete.id}/answers/"
    assert items[1].url == f"/screenings/{screening.id}/"
    assert action_items(actor_b, Case.objects.none()) == []
