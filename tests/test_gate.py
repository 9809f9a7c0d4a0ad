"""The gate decides alone: its tables agree with the docs and the domain's state tables, action
needed follows the pages it links to, and reads and refusals leave audit events."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from opennrm.access import linkage as linkage_gate
from opennrm.access.fields import CATEGORY_OF, FIELDS, IDENTITY, category_of
from opennrm.access.roles import ALL_PERMISSIONS, ROLE_PERMISSIONS
from opennrm.access.scope import field_scope
from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.cases.workflow import CASE
from opennrm.nrm.assistance.services import plan_service
from opennrm.nrm.assistance.workflow import SERVICE
from opennrm.nrm.referrals.services import accept_referral, refer_case
from opennrm.nrm.referrals.workflow import REFERRAL
from opennrm.nrm.screening.services import record_screening
from opennrm.nrm.status import workflow as status_workflow
from opennrm.nrm.status.actions import ACTIONS
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in, record_basis

DOCS = Path(__file__).resolve().parent.parent / "docs" / "permissions.md"


def test_every_permission_in_the_domain_state_tables_is_a_role_permission() -> None:
    tables = [
        CASE,
        REFERRAL,
        SERVICE,
        status_workflow.WORKFLOW,
        status_workflow.WORKFLOW_WITHOUT_OBLAST,
        status_workflow.PAYMENT_WORKFLOW,
    ]
    used = {t.permission for table in tables for t in table.transitions}
    used |= {action.permission for action in ACTIONS.values()}
    assert used, "no state table was read"
    # SYSTEM marks a step only the worker takes (a certificate's expiry): no role may.
    assert {
        role for role, perms in ROLE_PERMISSIONS.items() if status_workflow.SYSTEM in perms
    } == set()
    assert used - {status_workflow.SYSTEM} <= ALL_PERMISSIONS, sorted(used - ALL_PERMISSIONS)


def test_the_field_table_in_the_docs_is_the_one_in_access() -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Which fields a share shows", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z_]+)` \| `?([A-Za-z_]*)`? \| (\w+) \|", section, re.M)
    documented = [(name, htcds, category) for name, htcds, category in rows]
    assert documented == [(f.name, f.htcds, f.category) for f in FIELDS]


def test_a_field_without_a_category_is_refused_not_shown() -> None:
    with pytest.raises(KeyError, match="no data category"):
        category_of("prs_NewFieldNobodyPlaced")
    assert category_of("prs_SecondName") == IDENTITY == CATEGORY_OF["family_name"]


def test_linkage_reviewers_see_identity_fields_only() -> None:
    assert {category_of(name) for name in linkage_gate.PAIR_FIELDS} == {IDENTITY}


def test_action_needed_offers_only_what_the_linked_page_allows(
    shevchenko_case: Case, actor_a: Actor, caseworker: User, make_user: Callable[..., User]
) -> None:
    record_screening(actor=actor_a, list_key="adult_labour", case=shevchenko_case)
    plan_service(
        actor=actor_a,
        case=shevchenko_case,
        type="Medical",
        planned_on=dt.date(2016, 3, 15),
        planned_end_on=dt.date(2016, 3, 20),
    )
    worker_kinds = {i.kind for i in logged_in(caseworker).get("/action-needed/").context["items"]}
    assert {"screening.incomplete", "assistance.service_overdue"} <= worker_kinds
    # A prosecutor of the same agency sees the case but may neither screen nor assist.
    prosecutor = make_user("p.prosecutor", shevchenko_case.owner_agency, "prosecutor")
    assert logged_in(prosecutor).get("/action-needed/").context["items"] == []


def test_refusals_are_audited_for_existing_objects_only(
    shevchenko_case: Case, outsider: User, make_user: Callable[..., User]
) -> None:
    client = logged_in(outsider)
    missing = uuid.uuid4()
    assert client.get(f"/cases/{shevchenko_case.id}/").status_code == 404
    assert client.get(f"/api/v1/cases/{shevchenko_case.id}/").status_code == 404
    assert client.get(f"/cases/{missing}/").status_code == 404
    assert client.get(f"/api/v1/cases/{missing}/").status_code == 404
    refused = AuditEvent.objects.filter(action="access.refused")
    assert [(e.object_type, e.object_id, e.detail["answer"]) for e in refused] == [
        ("case", str(shevchenko_case.id), 404),
        ("case", str(shevchenko_case.id), 404),
    ]
    prosecutor = make_user("p.prosecutor", shevchenko_case.owner_agency, "prosecutor")
    assert logged_in(prosecutor).get(f"/cases/{shevchenko_case.id}/edit/").status_code == 403
    forbidden = AuditEvent.objects.filter(action="access.refused").order_by("-seq").first()
    assert forbidden is not None
    assert forbidden.detail == {"answer": 403, "permission": "case.change"}
    assert forbidden.actor_id == prosecutor.id


def test_list_reads_are_audited_with_case_ids(shevchenko_case: Case, caseworker: User) -> None:
    client = logged_in(caseworker)
    client.get("/cases/")
    client.get("/api/v1/cases/")
    listed = AuditEvent.objects.filter(action="case.listed").order_by("seq")
    assert [e.detail["case_ids"] for e in listed] == [[str(shevchenko_case.id)]] * 2
    assert [e.detail.get("via") for e in listed] == [None, "api"]
    # Ids only: the audit trail never holds the name of the person listed.
    assert "Шевченко" not in str([e.detail for e in listed])


def test_a_case_seen_through_a_share_is_audited_with_its_purpose(
    shevchenko_case: Case, actor_a: Actor, agency_b: Agency, make_user: Callable[..., User]
) -> None:
    record_basis(actor_a, shevchenko_case, "Legal", ("Identity",))
    referral = refer_case(
        actor=actor_a,
        case=shevchenko_case,
        to_agency=agency_b,
        purpose="Legal",
        data_categories=["Identity"],
    )
    recipient = make_user("b.worker", agency_b, "caseworker")
    accept_referral(actor=actor_for(recipient), referral=referral)
    client = logged_in(recipient)
    client.get(f"/cases/{shevchenko_case.id}/")
    client.get(f"/api/v1/cases/{shevchenko_case.id}/")
    viewed = AuditEvent.objects.filter(action="case.viewed", actor_id=recipient.id)
    assert [e.purpose for e in viewed] == ["Legal", "Legal"]


def test_the_field_scope_asks_the_roles_too(
    shevchenko_case: Case, actor_a: Actor, agency_b: Agency, make_user: Callable[..., User]
) -> None:
    """A share with Identity shows the name to a caseworker of the recipient, never to a judge
    of that agency (no case.view) nor to any role of the owner agency without case.view."""
    record_basis(actor_a, shevchenko_case, "Legal", ("Identity", "CaseFacts"))
    referral = refer_case(
        actor=actor_a,
        case=shevchenko_case,
        to_agency=agency_b,
        purpose="Legal",
        data_categories=["Identity", "CaseFacts"],
    )
    worker = actor_for(make_user("b.worker", agency_b, "caseworker"))
    accept_referral(actor=worker, referral=referral)
    judge = actor_for(make_user("b.judge", agency_b, "judge"))
    trainer = actor_for(make_user("a.trainer", shevchenko_case.owner_agency, "trainer"))
    assert field_scope(worker).categories(shevchenko_case) == {"Case", "Identity", "CaseFacts"}
    assert field_scope(judge).categories(shevchenko_case) == frozenset()
    assert field_scope(trainer).categories(shevchenko_case) == frozenset()
