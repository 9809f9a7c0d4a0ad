"""The demo's capacity building as the seed tells it (the agencies and logins of the demo, then
the trainings alone: the whole demo load is in tests/test_demo.py)."""

from __future__ import annotations

from typing import Any

import pytest

from opennrm.accounts.models import User
from opennrm.demo.loader import _people_and_places
from opennrm.demo.training import NINE_OBLASTS, load_training
from opennrm.training.models import Certificate, Participation, Trainee
from tests.conftest import logged_in


@pytest.mark.django_db
def test_november_2016_in_odesa_3_events_68_law_enforcers_9_oblasts(db: Any) -> None:
    agencies, _actors = _people_and_places()
    summary = load_training(agencies)
    assert summary.trainings == 7
    officer = logged_in(User.objects.get(username="iom.programme_officer"))
    body = officer.get("/api/v1/trainings/summary/?from=2016-11-01&to=2016-11-30").json()
    assert body["events"] == 3
    assert body["law_enforcers"] == 68
    assert body["oblasts"] == 9
    assert set(body["oblast_codes"]) == set(NINE_OBLASTS)
    rows = {r["code"]: r["persons"] for r in body["by_profession"]}
    assert rows["CimicOfficer"] == 4
    assert rows["Ngo"] + rows["SocialServices"] == 18
    # Six law enforcers attended two of the events: one person each.
    assert body["participations"] == body["participants"] + 6
    assert body["knowledge"]["mean_gain"] > 10
    assert Trainee.objects.count() == Participation.objects.values("trainee").distinct().count()
    assert Certificate.objects.exists()
    assert Certificate.objects.count() < Participation.objects.count()  # not every day attended
    year = officer.get("/api/v1/trainings/summary/?from=2016-01-01&to=2016-12-31").json()
    assert year["events"] == 7
    assert year["equipment"]["items"] == 7
