"""`opennrm dedupe INPUT.csv --out OUTPUT.csv [--pairs PAIRS.csv]`: deduplicate a legacy
register without importing it (no database, no keys).

Input columns use HTCDS names: ``record_id``, ``source``, ``prs_FirstName``,
``prs_MiddleName``, ``prs_SecondName``, ``prs_Birthdate`` (``YYYY-MM-DD``, ``YYYY`` or empty),
``prs_Gender`` (the HTCDS picklist), ``prs_Citizenship`` (ISO 3166 alpha-2 or alpha-3), and
optionally ``phone`` and ``document_number``. Every bad row is reported with its line number;
by default nothing is written when any row is bad (``--skip-bad-rows`` deduplicates the good
rows and lists the others). The output has ``record_id,person_id``; ``--pairs`` adds the
scored candidate pairs with their explanations.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TextIO

import pycountry
from defusedcsv import csv as safe_csv

from opennrm.linkage.engine.clusters import OUTRIGHT
from opennrm.linkage.engine.records import LinkageRecord
from opennrm.linkage.engine.run import LinkageError, LinkageResult, LinkageSettings, link

REQUIRED = ("record_id", "prs_FirstName", "prs_SecondName", "prs_Birthdate")
KNOWN = (
    "record_id",
    "source",
    "prs_FirstName",
    "prs_MiddleName",
    "prs_SecondName",
    "prs_Birthdate",
    "prs_Gender",
    "prs_Citizenship",
    "phone",
    "document_number",
    # A second of each (a dual citizen's other country, another phone, another document),
    # compared with either of the other record's.
    "other_citizenship",
    "other_phone",
    "other_document_number",
)
_DATE = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")


@cache
def gender_codes() -> frozenset[str]:
    """The HTCDS v2.0 ``prs_Gender`` picklist, read from the standard's own field list."""
    text = resources.files("opennrm.core").joinpath("data", "htcds_field_standards_2.0.csv")
    for row in csv.DictReader(text.read_text(encoding="utf-8").splitlines()):
        if row["field"] == "prs_Gender":
            return frozenset(v.strip() for v in row["values"].split(";") if v.strip())
    raise LookupError("prs_Gender is missing from the HTCDS field list")


def _country(code: str) -> bool:
    code = code.strip().upper()
    if len(code) == 2:
        return pycountry.countries.get(alpha_2=code) is not None
    if len(code) == 3:
        return pycountry.countries.get(alpha_3=code) is not None
    return False


@dataclass
class Parsed:
    records: list[LinkageRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    bad_lines: int = 0


def _row_errors(row: dict[str, str], seen: set[str]) -> list[str]:
    errors = []
    record_id = row.get("record_id", "").strip()
    if not record_id:
        errors.append("record_id: empty")
    elif record_id in seen:
        errors.append(f"record_id: {record_id!r} appears on an earlier line")
    birth = row.get("prs_Birthdate", "").strip()
    if birth:
        if not _DATE.match(birth):
            errors.append(f"prs_Birthdate: {birth!r} is not YYYY-MM-DD or YYYY")
        elif len(birth) == 10:
            try:
                dt.date.fromisoformat(birth)
            except ValueError:
                errors.append(f"prs_Birthdate: {birth!r} is not a calendar date")
    gender = row.get("prs_Gender", "").strip()
    if gender and gender not in gender_codes():
        errors.append(f"prs_Gender: {gender!r} is not one of {', '.join(sorted(gender_codes()))}")
    for column in ("prs_Citizenship", "other_citizenship"):
        citizenship = row.get(column, "").strip()
        if citizenship and not _country(citizenship):
            errors.append(f"{column}: {citizenship!r} is not an ISO 3166 country code")
    if not (row.get("prs_FirstName", "").strip() or row.get("prs_SecondName", "").strip()):
        errors.append("prs_FirstName, prs_SecondName: both empty")
    return errors


def read_register(stream: TextIO) -> Parsed:
    """Parse and check every row; errors carry line numbers (the header is line 1)."""
    parsed = Parsed()
    reader = csv.DictReader(stream)
    header = reader.fieldnames or []
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        parsed.errors.append(f"line 1: missing column(s): {', '.join(missing)}")
        return parsed
    unknown = [name for name in header if name not in KNOWN]
    if unknown:
        parsed.errors.append(f"line 1: unknown column(s): {', '.join(unknown)}")
        return parsed
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        if None in row:
            parsed.errors.append(f"line {line}: more fields than columns")
            parsed.bad_lines += 1
            continue
        values = {key: (value or "") for key, value in row.items()}
        problems = _row_errors(values, seen)
        seen.add(values["record_id"].strip())  # a bad row's id still counts as taken
        if problems:
            parsed.errors.extend(f"line {line}: {problem}" for problem in problems)
            parsed.bad_lines += 1
            continue
        record_id = values["record_id"].strip()
        parsed.records.append(
            LinkageRecord(
                record_id=record_id,
                source=values.get("source", "").strip(),
                given_name=values["prs_FirstName"],
                middle_name=values.get("prs_MiddleName", ""),
                family_name=values["prs_SecondName"],
                birth_date=values["prs_Birthdate"].strip() or None,
                sex=""
                if values.get("prs_Gender") == "NonSpecifiedUnknown"
                else values.get("prs_Gender", ""),
                citizenship=values.get("prs_Citizenship", ""),
                phone=values.get("phone", ""),
                document_number=values.get("document_number", ""),
                other_citizenship=values.get("other_citizenship", ""),
                other_phone=values.get("other_phone", ""),
                other_document=values.get("other_document_number", ""),
            )
        )
    return parsed


def person_ids(records: Iterable[LinkageRecord], clusters: dict[str, str]) -> dict[str, str]:
    """``P000001``... numbered in the order persons first appear in the input."""
    numbers: dict[str, str] = {}
    out: dict[str, str] = {}
    for record in records:
        cluster = clusters[record.record_id]
        if cluster not in numbers:
            numbers[cluster] = f"P{len(numbers) + 1:06d}"
        out[record.record_id] = numbers[cluster]
    return out


def write_outputs(
    records: list[LinkageRecord], result: LinkageResult, out: Path, pairs: Path | None
) -> None:
    """Write the persons (and pairs) CSV through defusedcsv: a cell that starts with = + - @
    (a record id taken from the input file, say) gets a leading ' so a spreadsheet shows it
    as text and never runs it as a formula."""
    ids = person_ids(records, result.clusters)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = safe_csv.writer(handle)
        writer.writerow(["record_id", "person_id"])
        for record in records:
            writer.writerow([record.record_id, ids[record.record_id]])
    if pairs is not None:
        with pairs.open("w", newline="", encoding="utf-8") as handle:
            writer = safe_csv.writer(handle)
            writer.writerow(
                [
                    "record_id_l",
                    "record_id_r",
                    "match_probability",
                    "match_weight",
                    "same_person",
                    "explanation",
                ]
            )
            for pair in result.pairs:
                explanation = "; ".join(
                    f"{item.field}={item.level} ({item.weight:+.1f})"
                    for item in pair.explanation
                    if item.level != "missing"
                )
                writer.writerow(
                    [
                        pair.left,
                        pair.right,
                        f"{pair.probability:.6f}",
                        f"{pair.weight:.3f}",
                        "yes" if ids[pair.left] == ids[pair.right] else "no",
                        explanation,
                    ]
                )


def main(argv: list[str], *, stderr: TextIO = sys.stderr) -> int:
    parser = argparse.ArgumentParser(
        prog="opennrm dedupe",
        description="Deduplicate a register in HTCDS columns without importing it.",
    )
    parser.add_argument("input", type=Path, help="CSV with HTCDS person columns")
    parser.add_argument("--out", type=Path, required=True, help="record_id,person_id CSV")
    parser.add_argument("--pairs", type=Path, help="also write the scored candidate pairs")
    parser.add_argument("--match-threshold", type=float, default=LinkageSettings().match_threshold)
    parser.add_argument(
        "--possible-threshold", type=float, default=LinkageSettings().possible_threshold
    )
    parser.add_argument(
        "--corroboration-threshold",
        type=float,
        default=LinkageSettings().corroboration_threshold,
        help="a pair from here to the match threshold joins two groups of records when every "
        "pair across them is a possible match (at the match threshold: never)",
    )
    parser.add_argument("--seed", type=int, default=LinkageSettings().seed)
    parser.add_argument("--memory-limit", default="4GB", help="DuckDB memory limit")
    parser.add_argument("--spill-dir", help="where DuckDB may spill to disk (default: never)")
    parser.add_argument(
        "--skip-bad-rows", action="store_true", help="deduplicate the good rows anyway"
    )
    args = parser.parse_args(argv)
    try:
        with args.input.open(encoding="utf-8-sig", newline="") as stream:
            parsed = read_register(stream)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"opennrm dedupe: {args.input}: {exc}", file=stderr)
        return 2
    for error in parsed.errors:
        print(f"{args.input}: {error}", file=stderr)
    if parsed.errors and not (args.skip_bad_rows and parsed.records):
        print(
            f"opennrm dedupe: {len(parsed.errors)} problem(s); nothing written "
            "(fix the rows, or use --skip-bad-rows)",
            file=stderr,
        )
        return 2

    def progress(step: str, fraction: float) -> None:
        print(f"[{fraction:4.0%}] {step}", file=stderr, flush=True)

    try:
        settings = LinkageSettings(
            match_threshold=args.match_threshold,
            possible_threshold=args.possible_threshold,
            corroboration_threshold=args.corroboration_threshold,
            seed=args.seed,
            memory_limit=args.memory_limit,
            spill_directory=args.spill_dir,
        )
        result = link(parsed.records, settings, progress=progress)
    except LinkageError as exc:
        print(f"opennrm dedupe: {exc}", file=stderr)
        return 2
    write_outputs(parsed.records, result, args.out, args.pairs)
    print(
        f"{len(parsed.records)} records, {result.persons} persons "
        f"(match threshold {settings.match_threshold}, pairs from {settings.corroboration} "
        "where the other pairs bear them out, those at the match threshold where more than a "
        f"third of them do (from {OUTRIGHT}: all); "
        f"between {result.persons_at(settings.possible_threshold)} and "
        f"{result.persons_at(0.99)} at thresholds {settings.possible_threshold} and 0.99); "
        f"{len(result.pairs)} candidate pairs"
        + (f"; {parsed.bad_lines} bad row(s) skipped" if parsed.bad_lines else ""),
        file=stderr,
    )
    return 0
