"""Identification (issue 9, points 10-11): the forms of exploitation missing from the national
list, each qualified under Criminal Code art. 149 in the docs; a child's consent is given by
the legal representative or the guardianship authority, and recorded as such."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

import opennrm
from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case, CaseCode
from opennrm.cases.services import record_consent
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.tenancy.actor import Actor
from tests.conftest import logged_in, person_input

DOCS = Path(__file__).resolve().parent.parent / "docs"
NEW_FORMS = ("SaleOfChild", "ForcedPregnancy", "MixedForms")

# --- point 10: forms of exploitation ------------------------------------------------------


def test_the_national_list_has_sale_of_a_child_forced_pregnancy_and_mixed_forms() -> None:
    forms = code_list(codes.UA_EXPLOITATION)
    for code in NEW_FORMS:
        found = forms.get(code)
        assert found.label_en
        assert re.search("[а-яіїєґ]", found.label_uk.lower())
    assert forms.get("SaleOfChild").htcds_equivalent == "Other"
    assert forms.get("ForcedPregnancy").htcds_equivalent == "Other"
    assert forms.get("MixedForms").htcds_equivalent == ""  # each of its forms maps on its own


def test_every_form_has_a_source_row() -> None:
    data = Path(opennrm.__file__).parent / "core" / "data" / "national_code_lists.csv"
    with data.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["list"] == codes.UA_EXPLOITATION]
    assert {r["code"] for r in rows} >= set(NEW_FORMS)
    assert all(r["source"].strip() for r in rows)


def test_every_form_is_qualified_under_article_149_in_the_docs() -> None:
    text = (DOCS / "identification.md").read_text(encoding="utf-8")
    section = text.split("## Forms of exploitation", 1)[1].split("\n## ", 1)[0]
    rows = {
        m.group(1): line for line in section.splitlines() if (m := re.match(r"\| `(\w+)` \|", line))
    }
    assert set(rows) >= {c.code for c in code_list(codes.UA_EXPLOITATION).codes}
    for code in NEW_FORMS:
        assert "art. 149" in rows[code]


def test_a_mixed_case_keeps_each_form_and_maps_them_to_htcds(
    make_case: Callable[..., Case], actor_a: Actor
) -> None:
    case = make_case(
        actor_a,
        multi={
            "ua_exploitation": ["MixedForms", "LabourExploitation", "SexualExploitation"],
            "vic_ForcedLabourIndustry": ["F_Construction"],
        },
    )
    htcds = set(
        CaseCode.objects.filter(case=case, list=codes.EXPLOITATION).values_list("code", flat=True)
    )
    assert htcds == {"ForcedLabour", "SexualExploitation"}  # no empty code for "mixed"
    sold = make_case(actor_a, multi={"ua_exploitation": ["SaleOfChild"]})
    assert set(
        CaseCode.objects.filter(case=sold, list=codes.EXPLOITATION).values_list("code", flat=True)
    ) == {"Other"}


# --- point 11: a child's consent ---------------------------------------------------------


@pytest.fixture
def child_case(make_case: Callable[..., Case], actor_a: Actor) -> Case:
    # Born 2 May 2001: 14 on 15 March 2016, the day of the consent.
    return make_case(actor_a, person=person_input(first="Дарина", birth="2001-05-02"))


def _consent(actor: Actor, case: Case, **kwargs: object) -> object:
    values: dict[str, object] = {
        "legal_basis": "Consent",
        "purposes": ["StatusApplication"],
        "data_categories": ["Identity"],
        "recipient": None,
        "given_on": dt.date(2016, 3, 15),
    }
    values.update(kwargs)
    return record_consent(actor=actor, case=case, **values)  # type: ignore[arg-type]


def test_a_child_cannot_consent_alone(child_case: Case, actor_a: Actor) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        _consent(actor_a, child_case)  # "by the person", the default
    errors = caught.value.message_dict
    assert "given_by" in errors
    assert "14 years old" in errors["given_by"][0]
    assert "legal representative" in errors["given_by"][0]
    with pytest.raises(ValidationError):
        _consent(actor_a, child_case, given_by="Person")
    assert not child_case.consents.exists()


def test_the_legal_representative_consents_for_a_child_with_their_role(
    child_case: Case, actor_a: Actor
) -> None:
    with pytest.raises(ValidationError) as caught:
        _consent(actor_a, child_case, given_by="LegalRepresentative")
    assert "representative_role" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _consent(actor_a, child_case, given_by="LegalRepresentative", representative_role="King")
    assert "representative_role" in caught.value.message_dict
    _consent(actor_a, child_case, given_by="LegalRepresentative", representative_role="Parent")
    consent = child_case.consents.get()
    assert (consent.given_by, consent.representative_role) == ("LegalRepresentative", "Parent")
    event = AuditEvent.objects.get(action="consent.recorded")
    assert event.detail["given_by"] == "LegalRepresentative"
    assert event.detail["representative_role"] == "Parent"


def test_the_guardianship_authority_consents_for_a_child(child_case: Case, actor_a: Actor) -> None:
    _consent(actor_a, child_case, given_by="GuardianshipAuthority")
    consent = child_case.consents.get()
    assert (consent.given_by, consent.representative_role) == ("GuardianshipAuthority", "")


def test_the_age_counts_on_the_day_of_the_consent(child_case: Case, actor_a: Actor) -> None:
    _consent(actor_a, child_case, given_on=dt.date(2019, 5, 2))  # 18 that day
    assert child_case.consents.get().given_by == "Person"


def test_an_adult_consents_herself_and_other_bases_have_no_giver(
    shevchenko_case: Case, actor_a: Actor
) -> None:
    _consent(actor_a, shevchenko_case)
    _consent(actor_a, shevchenko_case, legal_basis="VitalInterest", given_by="Person")
    by_basis = {c.legal_basis: c.given_by for c in shevchenko_case.consents.all()}
    assert by_basis == {"Consent": "Person", "VitalInterest": ""}


def test_the_consent_page_refuses_a_child_alone_and_records_the_representative(
    child_case: Case, caseworker: User
) -> None:
    client = logged_in(caseworker)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    url = f"/cases/{child_case.id}/consents/new/"
    form = client.get(url).content.decode()
    assert 'name="given_by"' in form
    assert 'name="representative_role"' in form
    body = {
        "legal_basis": "Consent",
        "purposes": ["StatusApplication"],
        "data_categories": ["Identity"],
        "given_on": "2016-03-15",
        "given_by": "Person",
    }
    refused = client.post(url, body)
    assert refused.status_code == 422
    assert refused.context["form"].errors["given_by"]
    assert "a child&#x27;s consent is given by the legal representative" in refused.content.decode()
    saved = client.post(
        url, {**body, "given_by": "LegalRepresentative", "representative_role": "Guardian"}
    )
    assert saved.status_code == 302
    consent = child_case.consents.get()
    assert (consent.given_by, consent.representative_role) == ("LegalRepresentative", "Guardian")
    page = client.get(f"/cases/{child_case.id}/").content.decode()
    assert "Legal representative (for a child): Guardian (of a child under 14)" in page
