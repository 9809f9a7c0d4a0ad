"""The status actions table (`nrm.status.actions`) is the one list the web, the API and the
tests read: every transition of the workflow has a row, and the row's fields are the service's
keyword arguments, the web form's fields and the API serializer's fields."""

from __future__ import annotations

import inspect

from opennrm.access import roles
from opennrm.api.status.serializers import INPUTS
from opennrm.api.status.urls import urlpatterns as api_urls
from opennrm.nrm.status import services
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.actions import ACTIONS
from opennrm.web.status import forms as sf
from opennrm.web.status.urls import urlpatterns as web_urls


def test_every_transition_of_the_table_has_one_row() -> None:
    assert list(ACTIONS) == [t.action for t in wf.user_transitions(wf.WORKFLOW)]
    assert wf.EXPIRE not in ACTIONS  # the system's, no page or endpoint


def test_a_row_names_the_service_the_fields_and_the_permission() -> None:
    grant = ACTIONS[wf.GRANT]
    assert grant.service is services.grant_status
    assert grant.permission == roles.STATUS_DECIDE
    assert ACTIONS[wf.RECORD_INTERVIEW].permission == roles.STATUS_PROCESS
    assert ACTIONS[wf.FORWARD_TO_NATIONAL].fields == ("to_agency", "forwarded_on")
    assert {a.permission for a in ACTIONS.values()} <= roles.ALL_PERMISSIONS


def test_the_fields_are_the_services_keyword_arguments() -> None:
    for name, row in ACTIONS.items():
        params = inspect.signature(row.service).parameters
        assert tuple(p for p in params if p not in {"actor", "application"}) == row.fields, name


def test_the_web_form_and_the_api_input_take_exactly_the_fields() -> None:
    for name, row in ACTIONS.items():
        assert tuple(sf.action_form(name).fields) == row.fields, name
        assert tuple(INPUTS[name]().fields) == row.fields, name


def test_web_and_api_route_every_action_of_the_table() -> None:
    web = {p.name for p in web_urls}
    api = {p.name for p in api_urls}
    for name in ACTIONS:
        assert f"status_application_{name}" in web
        assert f"status_application_{name}" in api
