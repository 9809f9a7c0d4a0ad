"""The disclosure threshold comes from OPENNRM_STATS_THRESHOLD wherever it is applied or said."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

from django.test import override_settings
from django.utils import translation

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.core.disclosure import Audience
from opennrm.reports.charts import dashboard
from opennrm.reports.indicators import Filters, compute
from opennrm.tenancy.actor import Actor
from tests.conftest import logged_in, person_input


@override_settings(OPENNRM_STATS_THRESHOLD=16)
def test_api_csv_and_dashboard_use_the_configured_threshold(
    make_case: Callable[..., Case], actor_a: Actor, statistician: User
) -> None:
    for number in range(14):
        make_case(actor_a, person_input("Петро", f"Бондар{number}енко", "1970-02-11"))
    client = logged_in(statistician)
    body = client.get("/api/v1/stats/?from=2016-01-01&to=2016-12-31").json()
    assert body["threshold"] == 16
    sex = next(t for t in body["tables"] if t["key"] == "sex_age")
    assert {r["code"]: r["persons"] for r in sex["rows"]}["men"] is None  # 14 < 16
    for table in body["tables"]:
        for row in table["rows"]:
            assert row["persons"] is None or row["persons"] == 0 or row["persons"] >= 16

    response = client.get("/statistics/sex_age.csv?start=2016-01-01&end=2016-12-31")
    rows = {row[0]: row[1] for row in csv.reader(io.StringIO(response.content.decode())) if row}
    assert rows["note"].startswith("empty: withheld (fewer than 16 persons")

    indicators = compute(Case.objects.all(), Filters(dt.date(2016, 1, 1), dt.date(2016, 12, 31)))
    with translation.override("en"):
        assert "fewer than 16 persons" in dashboard(indicators, Audience.EXTERNAL)["withheld_note"]
    with translation.override("uk"):
        assert "менша за 16" in dashboard(indicators, Audience.EXTERNAL)["withheld_note"]
