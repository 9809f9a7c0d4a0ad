"""CTDC global datasets read for context: both formats, "NA" as Namibia, -99 as missing, a
validation report, all or nothing, and the dashboard's global picture."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opennrm.cases.models import Case
from opennrm.reports.ctdc_import import ImportRefused, import_ctdc
from opennrm.reports.models import ContextDataset, ContextRecord

DATA = Path(__file__).parent / "data"


@pytest.mark.django_db
def test_2017_format_reads_na_as_namibia_and_minus_99_as_missing() -> None:
    with (DATA / "ctdc_2017_sample.csv").open(encoding="utf-8") as stream:
        dataset = import_ctdc(stream, name="CTDC 2017-2020")
    assert dataset.format == ContextDataset.Format.KANON_2017
    assert dataset.rows == 4
    records = list(ContextRecord.objects.filter(dataset=dataset).order_by("id"))
    assert records[1].citizenship == "NAM"  # Namibia, not "not available"
    assert records[1].country_of_exploitation == "ZAF"
    assert records[1].age_broad == "09--17"
    assert records[1].gender == "Woman"
    assert records[0].citizenship == "UKR"
    assert records[0].is_forced_labour
    assert records[2].age_broad == ""  # -99
    assert (records[3].gender, records[3].citizenship, records[3].is_forced_labour) == (
        "",
        "",
        False,
    )
    assert dataset.report["namibia_na"] == 1
    assert Case.objects.count() == 0  # kept apart from case records


@pytest.mark.django_db
def test_2024_format_is_recognised() -> None:
    with (DATA / "ctdc_2024_sample.csv").open(encoding="utf-8") as stream:
        dataset = import_ctdc(stream, name="CTDC 2024")
    assert dataset.format == ContextDataset.Format.SYNTHETIC_2024
    woman = ContextRecord.objects.get(dataset=dataset, gender="Woman")
    assert (woman.citizenship, woman.is_sexual_exploit) == ("NAM", True)


@pytest.mark.django_db
def test_a_bad_row_stops_the_import_and_is_named_in_the_report() -> None:
    text = (DATA / "ctdc_2017_sample.csv").read_text(encoding="utf-8")
    text += "20x6,Hotline,Other,7--8,Adult,XX,2,0,0,RU\n"
    with pytest.raises(ImportRefused) as refused:
        import_ctdc(io.StringIO(text), name="broken")
    errors = refused.value.report["errors"]
    assert isinstance(errors, list)
    assert "line 6: yearOfRegistration: '20x6' is not a year" in errors
    assert "line 6: gender: 'Other' is not a CTDC gender" in errors
    assert "line 6: ageBroad: '7--8' is not a CTDC age bin" in errors
    assert "line 6: citizenship: 'XX' is not an ISO 3166 country code" in errors
    assert "line 6: isForcedLabour: '2' is not 1, 0 or empty" in errors
    assert ContextDataset.objects.count() == 0
    assert ContextRecord.objects.count() == 0


@pytest.mark.django_db
def test_the_command_reports_and_refuses(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("import_ctdc", str(DATA / "ctdc_2017_sample.csv"), "--name", "CTDC", stdout=out)
    assert "imported 4 rows as 'CTDC'" in out.getvalue()
    assert "'NA' read as Namibia in 1 field(s)" in out.getvalue()
    short = tmp_path / "short.csv"
    short.write_text("yearOfRegistration,gender\n2016,Male\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_ctdc", str(short), "--name", "x", stderr=io.StringIO())
