"""Agencies are named in the interface's language; the demo's agencies have Ukrainian names."""

from __future__ import annotations

from django.utils import translation

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.demo.cast import AGENCIES
from opennrm.tenancy.models import Agency
from opennrm.tenancy.services import set_agency_names
from tests.conftest import logged_in


def test_the_name_follows_the_language(agency_a: Agency) -> None:
    set_agency_names(agency=agency_a, name_uk="ГО «Надія»", name_en="NGO Nadiia")
    agency_a.refresh_from_db()
    with translation.override("uk"):
        assert str(agency_a) == agency_a.display_name == "ГО «Надія»"
    with translation.override("en"):
        assert str(agency_a) == "NGO Nadiia"
    event = AuditEvent.objects.filter(action="agency.changed").last()
    assert event is not None
    assert event.object_id == str(agency_a.id)
    assert "Надія" not in str(event.detail)


def test_a_blank_name_falls_back_to_the_registered_one(agency_a: Agency) -> None:
    with translation.override("uk"):
        assert agency_a.display_name == agency_a.name
    set_agency_names(agency=agency_a, name_uk="ГО «Надія»")
    with translation.override("en"):
        assert agency_a.display_name == agency_a.name


def test_every_demo_agency_has_a_ukrainian_name() -> None:
    for spec in AGENCIES:
        assert spec.name_uk, spec.key
        assert spec.name_uk != spec.name, spec.key
        assert not any("a" <= c.lower() <= "z" for c in spec.name_uk.replace("МОМ", "")), spec.key


def test_pages_show_the_name_in_the_interface_language(caseworker: User, agency_a: Agency) -> None:
    set_agency_names(agency=agency_a, name_uk="ГО «Надія»", name_en="NGO Nadiia EN")
    client = logged_in(caseworker)
    client.cookies["opennrm-language"] = "uk"
    body = client.get("/referrals/").content.decode()
    assert "ГО «Надія»" in body
    assert "NGO Nadiia EN" not in body
    client.cookies["opennrm-language"] = "en"
    body = client.get("/referrals/").content.decode()
    assert "NGO Nadiia EN" in body
    assert "ГО «Надія»" not in body
