"""The gate of capacity building and the API summary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from opennrm.accounts.models import User
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency
from opennrm.training import services
from opennrm.training.models import Training
from tests.conftest import logged_in
from tests.training.conftest import participant, training_input


def test_trainings_of_another_agency_are_404(
    training: Training, make_user: Callable[..., User], other_org: Agency, iom: Agency
) -> None:
    other_trainer = logged_in(make_user("o.trainer", other_org, "trainer"))
    assert other_trainer.get(f"/api/v1/trainings/{training.id}/").status_code == 404
    admin = logged_in(make_user("i.admin", iom, "agency_admin"))
    assert admin.get(f"/api/v1/trainings/{training.id}/").status_code == 200
    officer = logged_in(make_user("i.officer", iom, "programme_officer"))
    assert officer.get(f"/api/v1/trainings/{training.id}/").status_code == 404
    caseworker = logged_in(make_user("i.caseworker", iom, "caseworker"))
    assert (
        caseworker.get("/api/v1/trainings/summary/?from=2016-01-01&to=2016-12-31").status_code
        == 404
    )


def test_the_summary_counts_people_once_and_law_enforcers_by_the_code_list(
    trainer: Actor, training: Training, make_user: Callable[..., User], iom: Agency
) -> None:
    second = services.create_training(
        actor=trainer,
        data=training_input(starts_on=dt.date(2016, 11, 22), ends_on=dt.date(2016, 11, 22)),
    )
    services.create_training(
        actor=trainer,
        data=training_input(starts_on=dt.date(2016, 12, 5), ends_on=dt.date(2016, 12, 5)),
    )
    services.add_participant(
        actor=trainer, training=training, data=participant(pre_score=40, post_score=80)
    )
    services.add_participant(
        actor=trainer,
        training=second,
        data=participant(first_name="Taras", family_name="Shevchenko"),
    )
    services.add_participant(
        actor=trainer,
        training=training,
        data=participant(
            family_name="Мельник", profession="CimicOfficer", oblast="UA-74", gender="Feminine"
        ),
    )
    services.add_participant(
        actor=trainer,
        training=second,
        data=participant(
            family_name="Бойко",
            profession="Prosecutor",
            oblast="UA-65",
            pre_score=50,
            post_score=70,
        ),
    )
    officer = logged_in(make_user("i.officer", iom, "programme_officer"))
    body = officer.get("/api/v1/trainings/summary/?from=2016-11-01&to=2016-11-30").json()
    assert body["events"] == 2
    assert body["participants"] == 3
    assert body["participations"] == 4
    assert body["law_enforcers"] == 2  # the police officer (twice: once) and the prosecutor
    assert body["oblasts"] == 3
    assert body["oblast_codes"] == ["UA-14", "UA-65", "UA-74"]
    rows = {r["code"]: r for r in body["by_profession"]}
    assert rows["CimicOfficer"]["persons"] == 1
    assert not rows["CimicOfficer"]["law_enforcer"]
    assert body["knowledge"] == {
        "tested": 2,
        "mean_pre": 45.0,
        "mean_post": 75.0,
        "mean_gain": 30.0,
    }
    assert "Шевченко" not in str(body)
    assert "Shevchenko" not in str(body)
    bad = officer.get("/api/v1/trainings/summary/?from=2016-12-01&to=2016-11-01")
    assert bad.status_code == 400
