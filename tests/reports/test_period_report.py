"""The period report: produced in the worker's code path, protected, in XLSX and PDF, in
Ukrainian and English, audited; the PDF renders (a page converted to an image)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.reports import services
from opennrm.reports.indicators import Filters
from opennrm.reports.models import ReportJob
from opennrm.tenancy.actor import Actor, actor_for
from tests.conftest import logged_in, person_input

YEAR = Filters(dt.date(2016, 1, 1), dt.date(2016, 12, 31))


@pytest.fixture
def register(make_case: Callable[..., Case], actor_a: Actor) -> None:
    """30 men exploited in Russia and 15 women in Poland, every one a different person."""
    for number in range(30):
        make_case(actor_a, person_input("Петро", f"Бондар{number:02d}енко", "1980-02-11"))
    for number in range(15):
        make_case(
            actor_a,
            person_input("Олена", f"Мельничук{number:02d}", "1990-02-11", "Feminine"),
            multi={"ua_exploitation": ["SexualExploitation"]},
            events=[],
        )


def _produce(user: User, format: str, language: str) -> ReportJob:
    job = services.request_report(
        actor=actor_for(user), filters=YEAR, format=format, language=language, enqueue=False
    )
    return services.produce(job.id)


@pytest.mark.usefixtures("register")
def test_xlsx_report_in_english_with_the_summary_and_tip_figures(statistician: User) -> None:
    from openpyxl import load_workbook

    job = _produce(statistician, "xlsx", "en")
    assert job.status == ReportJob.Status.DONE
    book = load_workbook(io.BytesIO(bytes(job.content)))
    summary = book["Summary"]["A5"].value
    assert summary.startswith("From 1 January 2016 to 31 December 2016, 45 victims")
    assert "exploited mainly in Russian Federation" in summary
    assert "67% are men" in summary
    assert "forced labour is 67% of cases" in summary
    # Figures are numbers with a number format, never formatted text ("1 180"): a donor sums them.
    tip = {row[0].value: row[1] for row in book["TIP-GRETA"].iter_rows(min_row=2)}
    assert tip["men"].value == 30
    assert tip["women"].value == 15
    assert tip["children (girls and boys)"].value == 0
    assert tip["men"].data_type == "n"
    assert tip["men"].number_format == "#,##0"
    rows = list(book["sex_age"].iter_rows(min_row=3))
    sex = {row[0].value: row for row in rows}
    assert sex["men"][2].value == 30
    assert sex["men"][2].number_format == "#,##0"
    assert sex["men"][3].value == pytest.approx(30 / 45)
    assert sex["men"][3].number_format == "0%"
    total = rows[-1]
    assert (total[1].value, total[2].value, total[2].data_type) == ("Total", 45, "n")
    assert total[2].number_format == "#,##0"


@pytest.mark.usefixtures("register")
def test_ukrainian_pdf_renders_and_says_the_figures(statistician: User) -> None:
    import pypdfium2 as pdfium

    job = _produce(statistician, "pdf", "uk")
    assert bytes(job.content).startswith(b"%PDF")
    pdf = pdfium.PdfDocument(bytes(job.content))
    assert len(pdf) >= 2
    page = pdf[0]
    text = page.get_textpage().get_text_range()
    assert "45" in text
    assert "Російська Федерація" in text or "Russian Federation" in text
    image = page.render(scale=1).to_numpy()
    dark = (image < 100).all(axis=2).sum()
    assert dark > 2000  # text and charts drawn, not a blank page


@pytest.mark.usefixtures("register")
def test_report_pages_and_download_are_the_requesters_own_and_audited(
    statistician: User, caseworker: User
) -> None:
    client = logged_in(statistician)
    response = client.post(
        "/statistics/reports/?start=2016-01-01&end=2016-12-31",
        {"format": "xlsx", "language": "uk"},
    )
    job = ReportJob.objects.get()
    assert response["Location"] == f"/statistics/reports/{job.id}/"
    page = client.get(f"/statistics/reports/{job.id}/").content.decode()
    assert 'http-equiv="refresh"' in page  # queued: the page follows the worker
    services.produce(job.id)
    download = client.get(f"/statistics/reports/{job.id}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('-uk.xlsx"')
    assert logged_in(caseworker).get(f"/statistics/reports/{job.id}/").status_code == 404
    actions = list(AuditEvent.objects.filter(object_type="report").values_list("action", flat=True))
    assert actions == ["report.requested", "report.downloaded"]


def test_bad_format_is_refused(statistician: User) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.request_report(
            actor=actor_for(statistician), filters=YEAR, format="doc", language="fr"
        )
    assert set(error.value.message_dict) == {"format", "language"}
