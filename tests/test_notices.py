"""Notifications (issue 10, item 2): made by the worker from audit events, alerts and deadlines;
in the application (the bell, the list, mark read) and by e-mail; each user's preferences; no
personal data anywhere; only the users of the agency that must act."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client

from opennrm.access import notices as gate
from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.justice.perpetrators import MlaRequest
from opennrm.notices import kinds
from opennrm.notices.models import Notification
from opennrm.notices.producer import produce
from opennrm.notices.tasks import notify_periodically, schedule_notices
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.referrals.services import accept_referral, refer_case
from opennrm.nrm.status import workflow as wf
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in, record_basis
from tests.nrm.test_status_support import World, application_in, build_world

# What a caseworker (referrals and the status procedure, no perpetrators) may be told of.
CASEWORKER_KINDS = (
    kinds.REFERRAL_RECEIVED,
    kinds.REFERRAL_ANSWERED,
    kinds.STATUS_DEADLINE_NEAR,
    kinds.STATUS_DEADLINE_MISSED,
    kinds.STATUS_FILE_RETURNED,
)

NAMES = ("Шевченко", "Shevchenko", "Олександр", "Oleksandr", "1987")


@pytest.fixture
def world(db: object, make_user: Callable[..., User], make_case: Callable[..., Case]) -> World:
    return build_world(make_user, make_case)


def _with_email(user: User) -> User:
    user.email = f"{user.username}@example.org"
    user.save(update_fields=["email"])
    return user


def _refer(actor: Actor, case: Case, to: Agency) -> Referral:
    record_basis(actor, case)
    return refer_case(
        actor=actor, case=case, to_agency=to, purpose="Legal", data_categories=["Identity"]
    )


def test_a_referral_sent_notifies_the_receiving_caseworker_in_the_app_and_by_email(
    shevchenko_case: Case,
    actor_a: Actor,
    agency_b: Agency,
    make_user: Callable[..., User],
    outsider: User,
) -> None:
    recipient = _with_email(make_user("b.caseworker", agency_b, "caseworker"))
    admin = _with_email(make_user("b.admin", agency_b, "agency_admin"))  # may not answer
    stranger = _with_email(
        make_user(
            "c.caseworker", Agency.objects.create(name="Shelter C", kind="Shelter"), "caseworker"
        )
    )
    _with_email(actor_a.user)
    referral = _refer(actor_a, shevchenko_case, agency_b)
    run = produce()
    assert run.made == {kinds.REFERRAL_RECEIVED: 2}  # the recipient and the investigator
    notice = Notification.objects.get(user=recipient)
    assert notice.kind == kinds.REFERRAL_RECEIVED
    assert notice.object_id == referral.id
    assert notice.agency == actor_a.agency
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "b.caseworker",
        outsider.username,  # the investigator of agency B may answer referrals too
    }
    for nobody in (admin, stranger, actor_a.user):
        assert not Notification.objects.filter(user=nobody).exists()
    # The e-mail: to the recipient only, the kind, the agency and a link; nothing personal.
    assert [m.to for m in mail.outbox] == [[recipient.email]]
    message = mail.outbox[0]
    assert f"{settings.OPENNRM_BASE_URL}/referrals/{referral.id}/" in message.body
    assert actor_a.agency is not None
    assert actor_a.agency.name in message.subject
    # Two referrals from one agency are told apart: the case's reference and the purpose (in
    # the installation's language, Ukrainian by default).
    assert f"№ {shevchenko_case.reference}, Правова допомога" in message.subject
    for name in NAMES:
        assert name not in message.subject
        assert name not in message.body
    # A second run makes nothing new and sends nothing again.
    assert produce().made == {}
    assert len(mail.outbox) == 1


def test_the_bell_counts_unread_and_opening_marks_read(
    shevchenko_case: Case, actor_a: Actor, agency_b: Agency, make_user: Callable[..., User]
) -> None:
    recipient = make_user("b.caseworker", agency_b, "caseworker")
    client = logged_in(recipient)
    assert 'class="bell"' in client.get("/").content.decode()
    referral = _refer(actor_a, shevchenko_case, agency_b)
    produce()
    page = client.get("/notifications/").content.decode()
    assert f"№ {shevchenko_case.reference}" in page  # each row tells its case apart
    bell = re.search(r'class="bell".*?</a>', page, re.S)
    assert bell
    assert '<span class="nav-badge">1</span>' in bell.group(0)
    for name in NAMES:
        assert name not in page
    notice = Notification.objects.get(user=recipient)
    opened = client.get(f"/notifications/{notice.id}/")
    assert opened.status_code == 302
    assert opened["Location"] == f"/referrals/{referral.id}/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    bell = re.search(r'class="bell".*?</a>', client.get("/").content.decode(), re.S)
    assert bell
    assert "nav-badge" not in bell.group(0)


def test_mark_all_read(
    shevchenko_case: Case, actor_a: Actor, agency_b: Agency, make_user: Callable[..., User]
) -> None:
    recipient = make_user("b.caseworker", agency_b, "caseworker")
    _refer(actor_a, shevchenko_case, agency_b)
    produce()
    client = logged_in(recipient)
    assert client.post("/notifications/read-all/").status_code == 302
    assert not Notification.objects.filter(user=recipient, read_at=None).exists()


def test_another_users_notification_is_404(
    shevchenko_case: Case,
    actor_a: Actor,
    agency_b: Agency,
    make_user: Callable[..., User],
    caseworker: User,
) -> None:
    recipient = make_user("b.caseworker", agency_b, "caseworker")
    _refer(actor_a, shevchenko_case, agency_b)
    produce()
    notice = Notification.objects.get(user=recipient)
    other = logged_in(caseworker)
    assert other.get(f"/notifications/{notice.id}/").status_code == 404
    assert other.get("/notifications/").context["rows"] == []
    notice.refresh_from_db()
    assert notice.read_at is None


def _choose(client: Client, off: set[str], codes: tuple[str, ...] = CASEWORKER_KINDS) -> None:
    """Post the preferences page with every box of `codes` ticked except `off` (field names)."""
    data = {
        f"{code.replace('.', '_')}_{channel}": "on"
        for code in codes
        for channel in ("app", "email")
    }
    for name in off:
        del data[name]
    assert client.post("/notifications/preferences/", data).status_code == 302


def test_preferences_off_means_no_email_and_both_off_means_nothing(
    shevchenko_case: Case, actor_a: Actor, agency_b: Agency, make_user: Callable[..., User]
) -> None:
    no_email = _with_email(make_user("b.caseworker", agency_b, "caseworker"))
    nothing = _with_email(make_user("b.supervisor", agency_b, "supervisor"))
    page = logged_in(no_email).get("/notifications/preferences/")
    assert page.status_code == 200
    _choose(logged_in(no_email), {"referral_received_email"})
    _choose(logged_in(nothing), {"referral_received_email", "referral_received_app"})
    event = AuditEvent.objects.filter(action="notification.preferences_changed").first()
    assert event is not None
    assert kinds.REFERRAL_RECEIVED not in event.detail["by_email"]
    assert kinds.REFERRAL_RECEIVED in event.detail["in_app"]
    _refer(actor_a, shevchenko_case, agency_b)
    produce()
    assert Notification.objects.filter(user=no_email, read_at=None).count() == 1
    assert not Notification.objects.filter(user=nothing).exists()
    assert mail.outbox == []


def test_an_answer_notifies_the_sender(
    shevchenko_case: Case,
    actor_a: Actor,
    agency_b: Agency,
    make_user: Callable[..., User],
) -> None:
    recipient = make_user("b.caseworker", agency_b, "caseworker")
    referral = _refer(actor_a, shevchenko_case, agency_b)
    produce()
    accept_referral(actor=actor_for(recipient), referral=referral)
    run = produce()
    assert run.made == {kinds.REFERRAL_ANSWERED: 1}
    notice = Notification.objects.get(kind=kinds.REFERRAL_ANSWERED)
    assert notice.user == actor_a.user
    assert notice.agency == agency_b


def test_status_deadlines_approaching_then_missed_tell_the_agency_holding_the_file(
    world: World,
) -> None:
    app = application_in(world, wf.AT_NATIONAL)
    due = app.next_due_on
    assert due is not None
    with time_machine.travel(
        dt.datetime.combine(due - dt.timedelta(days=1), dt.time(9)), tick=False
    ):
        run = produce()
    assert run.made == {kinds.STATUS_DEADLINE_NEAR: 1}
    near = Notification.objects.get(kind=kinds.STATUS_DEADLINE_NEAR)
    assert near.user == world.decider  # the deciding agency holds the file; not its clerk
    assert near.object_id == app.id
    with time_machine.travel(
        dt.datetime.combine(due + dt.timedelta(days=1), dt.time(9)), tick=False
    ):
        run = produce()
        again = produce()
    assert run.made == {kinds.STATUS_DEADLINE_MISSED: 1}
    assert again.made == {}
    missed = Notification.objects.get(kind=kinds.STATUS_DEADLINE_MISSED)
    assert missed.user == world.decider
    assert not Notification.objects.filter(user=world.official).exists()
    # Long past: no more announcements (action needed keeps the item).
    Notification.objects.all().delete()
    with time_machine.travel(
        dt.datetime.combine(due + dt.timedelta(days=30), dt.time(9)), tick=False
    ):
        assert produce().made == {}


def test_a_returned_file_tells_the_receiving_office(world: World) -> None:
    produce()  # what came before
    Notification.objects.all().delete()
    app = application_in(world, wf.RETURNED)
    with time_machine.travel(dt.datetime.combine(app.applied_on, dt.time(9)), tick=False):
        run = produce()
    assert run.made.get(kinds.STATUS_FILE_RETURNED) == 1
    notice = Notification.objects.get(kind=kinds.STATUS_FILE_RETURNED)
    assert notice.user == world.official
    assert notice.agency == world.nss
    assert notice.object_id == app.id


def test_an_mla_request_past_its_deadline_tells_the_unit(
    make_user: Callable[..., User], agency_b: Agency
) -> None:
    investigator = make_user("b.investigator", agency_b, "investigator")
    make_user("b.caseworker", agency_b, "caseworker")  # does not manage MLA requests
    request = MlaRequest.objects.create(
        agency=agency_b,
        direction="outgoing",
        country="PL",
        request_type="Evidence",
        sent_on=dt.date(2026, 1, 1),
        due_on=dt.date(2026, 2, 1),
        recorded_by=investigator,
    )
    with time_machine.travel(dt.datetime(2026, 2, 3, 9, tzinfo=dt.UTC), tick=False):
        run = produce()
    assert run.made == {kinds.MLA_DEADLINE_MISSED: 1}
    assert Notification.objects.get().object_id == request.id


def test_the_worker_runs_and_queues_its_next_run(
    shevchenko_case: Case, actor_a: Actor, agency_b: Agency, make_user: Callable[..., User]
) -> None:
    from django_tasks_db.models import DBTaskResult

    make_user("b.caseworker", agency_b, "caseworker")
    _refer(actor_a, shevchenko_case, agency_b)
    DBTaskResult.objects.all().delete()
    assert schedule_notices() is True
    assert schedule_notices() is False  # one waiting is enough
    DBTaskResult.objects.all().delete()
    result = notify_periodically.call()
    assert result == "1 events, referral.received: 1"
    assert DBTaskResult.objects.filter(task_path=notify_periodically.module_path).count() == 1


def test_old_news_and_answered_referrals_are_not_announced(
    shevchenko_case: Case,
    actor_a: Actor,
    agency_b: Agency,
    make_user: Callable[..., User],
    make_case: Callable[..., Case],
) -> None:
    recipient = make_user("b.caseworker", agency_b, "caseworker")
    _refer(actor_a, shevchenko_case, agency_b)
    with time_machine.travel(dt.timedelta(days=8)):
        assert produce().made == {}  # a week later it is no news (action needed has it)
    answered = _refer(actor_a, make_case(actor_a), agency_b)
    accept_referral(actor=actor_for(recipient), referral=answered)
    run = produce()
    # Already answered when the worker came: no "waits for your answer", only the answer.
    assert run.made == {kinds.REFERRAL_ANSWERED: 1}
    assert not Notification.objects.filter(user=recipient).exists()


def test_turning_every_box_off_is_saved_too(
    agency_b: Agency, make_user: Callable[..., User]
) -> None:
    """A form with no box ticked posts no field at all: still a choice, saved."""
    from opennrm.notices.queries import preferences

    user = make_user("b.caseworker", agency_b, "caseworker")
    every = {
        f"{code.replace('.', '_')}_{channel}"
        for code in CASEWORKER_KINDS
        for channel in ("app", "email")
    }
    _choose(logged_in(user), every)
    assert preferences(user) == dict.fromkeys(CASEWORKER_KINDS, (False, False))


def test_every_kind_says_who_may_receive_it() -> None:
    assert set(gate.RECEIVES) == set(kinds.KINDS)


def test_preferences_offer_only_the_kinds_the_users_permissions_can_bring(
    agency_b: Agency, make_user: Callable[..., User]
) -> None:
    """An NGO caseworker is never told of perpetrator alerts or MLA requests: the page does
    not offer them, and a post naming them saves nothing of them (nor may the service)."""
    from opennrm.notices.models import NotificationPreference
    from opennrm.notices.services import set_preferences

    caseworker = make_user("b.caseworker", agency_b, "caseworker")
    page = logged_in(caseworker).get("/notifications/preferences/").content.decode()
    for code in kinds.KINDS:
        assert (f'name="{code.replace(".", "_")}_app"' in page) == (code in CASEWORKER_KINDS)
    _choose(logged_in(caseworker), set(), codes=tuple(kinds.KINDS))
    saved = set(
        NotificationPreference.objects.filter(user=caseworker).values_list("kind", flat=True)
    )
    assert saved == set(CASEWORKER_KINDS)
    with pytest.raises(PermissionDenied):
        set_preferences(
            actor=actor_for(caseworker), choices={kinds.PERPETRATOR_ALERT: (True, True)}
        )

    investigator = make_user("b.investigator", agency_b, "investigator")
    page = logged_in(investigator).get("/notifications/preferences/").content.decode()
    assert 'name="perpetrator_alert_email"' in page
    assert 'name="mla_deadline_missed_email"' in page
    assert 'name="status_deadline_near_email"' not in page  # no status procedure

    trainer = make_user("b.trainer", agency_b, "trainer")
    page = logged_in(trainer).get("/notifications/preferences/")
    assert page.status_code == 200
    assert 'type="checkbox"' not in page.content.decode()
