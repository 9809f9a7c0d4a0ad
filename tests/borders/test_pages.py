"""The pages of operations (twenty persons typed one per line, or a CSV/XLSX list, all or
nothing with named lines), stops at the border and incidents."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from opennrm.accounts.models import User
from opennrm.borders.models import Incident, Operation, Stop
from opennrm.cases.models import Case
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in

TWENTY = "\n".join(
    [f"Особа{n} Тестова; {'F' if n % 2 else 'M'}; {20 + n}; UA; uk" for n in range(1, 19)]
    + ["(чоловік у зеленій куртці); M; 40", "(дівчина з рюкзаком); ж; 16; MD; ro"]
)


def _guard(make_user: Callable[..., User]) -> User:
    border = Agency.objects.create(
        name="Border guard, Sumy (synthetic)", kind="StateBorderGuardService", oblast="UA-59"
    )
    return make_user("g.guard", border, "border_guard")


def test_twenty_persons_typed_one_per_line(make_user: Callable[..., User]) -> None:
    client = logged_in(_guard(make_user))
    assert client.get("/operations/new/").status_code == 200
    response = client.post(
        "/operations/new/",
        {
            "kind": "BorderCheck",
            "held_on": "2016-10-04",
            "crossing_point": "UA-59-Bachivsk",
            "persons": TWENTY,
        },
    )
    assert response.status_code == 302
    operation = Operation.objects.get()
    assert operation.cases.count() == 20
    assert operation.oblast == "UA-59"
    page = client.get(response["Location"]).content.decode()
    assert page.count("/cases/") >= 20
    assert client.get("/operations/").status_code == 200


def test_bad_lines_are_named_and_nothing_is_recorded(make_user: Callable[..., User]) -> None:
    client = logged_in(_guard(make_user))
    response = client.post(
        "/operations/new/",
        {
            "kind": "BorderCheck",
            "held_on": "2016-10-04",
            "crossing_point": "UA-59-Bachivsk",
            "persons": "Іванова Ольга; F; 30\nПетренко; X; 20\nСидоренко; M; двадцять",
        },
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "Line 2" in text or "Рядок 2" in text
    assert "Line 3" in text or "Рядок 3" in text
    assert "Петренко" not in text.split("<textarea")[0]
    assert not Operation.objects.exists()
    assert not Case.objects.exists()
    no_name = client.post(
        "/operations/new/",
        {
            "kind": "BorderCheck",
            "held_on": "2016-10-04",
            "crossing_point": "UA-59-Bachivsk",
            "persons": "Іванова Ольга; F\n; M; 40",
        },
    )
    assert no_name.status_code == 422
    assert not Case.objects.exists()


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_list_import_all_or_nothing(make_user: Callable[..., User]) -> None:
    client = logged_in(_guard(make_user))
    header = ["name", "description", "sex", "age", "citizenship", "language"]
    bad = _xlsx([header, ["Коваль Ірина", "", "F", 25, "UA", "uk"], ["", "", "M", "x", "", ""]])
    response = client.post(
        "/operations/import/",
        {
            "import-kind": "BorderCheck",
            "import-held_on": "2016-10-04",
            "import-crossing_point": "UA-63-Hoptivka",
            "import-file": SimpleUploadedFile("list.xlsx", bad),
        },
    )
    assert response.status_code == 422
    assert "3" in response.content.decode()
    assert not Case.objects.exists()
    good = "name,sex,age\nКоваль Ірина,F,25\nБондар Петро,M,31\n".encode()
    response = client.post(
        "/operations/import/",
        {
            "import-kind": "BorderCheck",
            "import-held_on": "2016-10-04",
            "import-crossing_point": "UA-63-Hoptivka",
            "import-file": SimpleUploadedFile("list.csv", good),
        },
    )
    assert response.status_code == 302
    assert Operation.objects.get().cases.count() == 2


def test_stops_and_incidents_pages(make_user: Callable[..., User], caseworker: User) -> None:
    client = logged_in(_guard(make_user))
    assert client.get("/border-stops/").status_code == 200
    assert (
        client.post(
            "/border-stops/",
            {
                "kind": "PreventedDeparture",
                "crossing_point": "UA-59-Bachivsk",
                "stopped_on": "2016-05-01",
                "persons": "3",
                "children": "1",
                "destination": "RU",
            },
        ).status_code
        == 302
    )
    assert Stop.objects.get().persons == 3
    bad = client.post(
        "/border-stops/",
        {
            "kind": "PreventedDeparture",
            "crossing_point": "UA-59-Bachivsk",
            "stopped_on": "2016-05-01",
            "persons": "1",
            "children": "2",
        },
    )
    assert bad.status_code == 422
    ngo = logged_in(caseworker)
    assert ngo.get("/border-stops/").status_code == 403
    assert ngo.get("/incidents/").status_code == 200
    response = ngo.post(
        "/incidents/",
        {
            "kind": "AttemptedTrafficking",
            "occurred_on": "2015-11-02",
            "oblast": "UA-63",
            "victims": "3",
            "involves_idp": "on",
            "idp_origin": "OccupiedTerritory",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Incident.objects.get().victims == 3
    assert (
        ngo.post(
            "/incidents/",
            {
                "kind": "AttemptedTrafficking",
                "occurred_on": "2015-11-02",
                "victims": "1",
                "idp_origin": "OccupiedTerritory",
            },
        ).status_code
        == 422
    )
