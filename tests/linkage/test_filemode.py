"""`opennrm dedupe`: a legacy register in HTCDS columns, deduplicated without importing it."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from opennrm.linkage.filemode import main, read_register

FIXTURE = Path(__file__).parent / "data" / "legacy_register.csv"
HEADER = (
    "record_id,source,prs_FirstName,prs_MiddleName,prs_SecondName,prs_Birthdate,"
    "prs_Gender,prs_Citizenship"
)


def _persons(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as handle:
        return {row["record_id"]: row["person_id"] for row in csv.DictReader(handle)}


def test_the_command_deduplicates_the_fixture_with_known_answers(tmp_path: Path) -> None:
    out, pairs = tmp_path / "persons.csv", tmp_path / "pairs.csv"
    done = subprocess.run(  # noqa: S603 (our own command)
        [
            sys.executable,
            "-m",
            "opennrm",
            "dedupe",
            str(FIXTURE),
            "--out",
            str(out),
            "--pairs",
            str(pairs),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    persons = _persons(out)
    assert persons == {
        "A-1": "P000001", "A-2": "P000001", "A-3": "P000001", "A-4": "P000001",
        "B-1": "P000002", "B-2": "P000002",
        "C-1": "P000003",
        "D-1": "P000004",
    }  # fmt: skip
    assert "8 records, 4 persons" in done.stderr
    assert (
        "(match threshold 0.95, pairs from 0.7 where the other pairs bear them out, those at "
        "the match threshold where more than a third of them do (from 0.999: all);" in done.stderr
    )
    with pairs.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    scored = {(row["record_id_l"], row["record_id_r"]): row for row in rows}
    swapped = scored[("A-1", "A-2")]
    assert "birth_date=day and month swapped" in swapped["explanation"]
    assert swapped["same_person"] == "yes"
    assert float(swapped["match_probability"]) > 0.95
    assert "document=same" in scored[("B-1", "B-2")]["explanation"]
    assert not any("D-1" in key and float(row["match_probability"]) > 0.95
                   for key, row in scored.items())  # fmt: skip


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(
        HEADER + "\n"
        "1,ngo,Олена,,Мельник,1990-02-30,Feminine,UA\n"
        "2,ngo,Олена,,Мельник,30.01.1990,Female,XX\n"
        "1,ngo,Ірина,,Ткаченко,1985,Feminine,UA\n"
        "4,ngo,,,,1985,Feminine,UA\n"
        "5,ngo,Ірина,,Ткаченко,1985-04-01,Feminine,UA\n",
        encoding="utf-8",
    )
    out = tmp_path / "persons.csv"
    err = io.StringIO()
    assert main([str(source), "--out", str(out)], stderr=err) == 2
    report = err.getvalue()
    assert "line 2: prs_Birthdate: '1990-02-30' is not a calendar date" in report
    assert "line 3: prs_Birthdate: '30.01.1990' is not YYYY-MM-DD or YYYY" in report
    assert "line 3: prs_Gender: 'Female' is not one of" in report
    assert "line 3: prs_Citizenship: 'XX' is not an ISO 3166 country code" in report
    assert "line 4: record_id: '1' appears on an earlier line" in report
    assert "line 5: prs_FirstName, prs_SecondName: both empty" in report
    assert "line 6" not in report
    assert "nothing written" in report
    assert not out.exists()

    err = io.StringIO()
    assert main([str(source), "--out", str(out), "--skip-bad-rows"], stderr=err) == 0
    assert set(_persons(out)) == {"5"}
    assert "4 bad row(s) skipped" in err.getvalue()


def test_a_second_citizenship_phone_and_document_are_read_and_checked() -> None:
    text = (
        "record_id,prs_FirstName,prs_SecondName,prs_Birthdate,prs_Citizenship,other_citizenship,"
        "phone,other_phone,document_number,other_document_number\n"
        "1,Марта,Гнатюк,1990,UA,MD,0671234567,0509876543,ВК654321,FA123456\n"
        "2,Марта,Гнатюк,1990,UA,ZZ,,,,\n"
    )
    parsed = read_register(io.StringIO(text))
    assert parsed.errors == ["line 3: other_citizenship: 'ZZ' is not an ISO 3166 country code"]
    (record,) = parsed.records
    assert (record.other_citizenship, record.other_phone, record.other_document) == (
        "MD",
        "0509876543",
        "FA123456",
    )


def test_missing_columns_are_named(tmp_path: Path) -> None:
    source = tmp_path / "short.csv"
    source.write_text("record_id,prs_FirstName\n1,Олена\n", encoding="utf-8")
    err = io.StringIO()
    assert main([str(source), "--out", str(tmp_path / "o.csv")], stderr=err) == 2
    assert "line 1: missing column(s): prs_SecondName, prs_Birthdate" in err.getvalue()


def test_ids_from_the_input_cannot_become_spreadsheet_formulas(tmp_path: Path) -> None:
    dangerous = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"]
    source = tmp_path / "formulas.csv"
    source.write_text(
        HEADER
        + "\n"
        + "".join(
            f"{csv_cell},ngo,Олена,,Мельник,{1980 + n},Feminine,UA\n"
            for n, csv_cell in enumerate('"' + i.replace('"', '""') + '"' for i in dangerous)
        ),
        encoding="utf-8",
    )
    out, pairs = tmp_path / "persons.csv", tmp_path / "pairs.csv"
    assert main([str(source), "--out", str(out), "--pairs", str(pairs)], stderr=io.StringIO()) == 0
    cells = [row[0] for row in csv.reader(out.read_text(encoding="utf-8").splitlines()[1:])]
    assert sorted(cells) == sorted("'" + i for i in dangerous)
    for row in csv.reader(pairs.read_text(encoding="utf-8").splitlines()[1:]):
        assert row[0][0] == "'"
        assert row[1][0] == "'"
