"""The fast paths of a run give what the record-by-record code gave: a run's feature columns
are the rows each record gives alone (the keys are computed once per distinct value: a cache
keyed too coarsely would hand a record another's keys), Arrow's content order is Python's order
of the keys as text, and the pairs read column by column carry the explanations read row by
row."""

from __future__ import annotations

import datetime
import random
from typing import Any

import pyarrow as pa
import pytest

from opennrm.demo.names import MEN, SURNAMES, WOMEN, latin, typo
from opennrm.linkage.engine import run
from opennrm.linkage.engine.dates import PartialDate
from opennrm.linkage.engine.model import level_tf_columns, level_weights, settings_dict
from opennrm.linkage.engine.records import (
    FEATURE_COLUMNS,
    FeatureRow,
    LinkageRecord,
    feature_columns,
    features,
)
from opennrm.linkage.engine.run import (
    CONTENT_ORDER,
    CandidatePair,
    FieldAgreement,
    _content_order,
    _level,
    _pairs,
    _table,
)

R = LinkageRecord

TRICKY = [
    R("1", "police", "Олександр", "Петрович", "Шевченко", "1990-03-05", "M", "UKR"),
    R("2", "ngo", "Александр", "", "Шевченко", datetime.date(1990, 5, 3), "Male", "UA"),
    # Given and family name swapped; a patronymic typed at the end of the family field.
    R("3", "border", "Shevchenko", "", "Oleksandr", "1990", "m", "ua"),
    R("4", "", "Олександр", "", "Шевченко Петрович", PartialDate(1990, 3), "", ""),
    R("5", "iom", "Oleksandr", "", "Shevchenko Petrovych", PartialDate(1990, 3, 5), "M", "UKR"),
    # A diminutive shared by a man's and a woman's name, by sex and with none.
    R("6", given_name="Валя", family_name="Бойко", sex="F"),
    R("7", given_name="Валя", family_name="Бойко", sex="M"),
    R("8", given_name="Валя", family_name="Бойко"),
    R("9", given_name="Саша", family_name="Бойко", sex="Feminine"),
    # Diacritics, other tables, several tokens, nothing at all.
    R("10", given_name="Jiří", family_name="Ševčenko-Müller", middle_name="Sergeevich"),
    R("11", given_name="Łukasz", family_name="Szewczenko", birth_date="31.02.1990"),
    R("12", given_name="Anna Maria", family_name="Chartschenko", birth_date="unknown"),
    R("13"),
    R("14", given_name="  ", family_name="O'Brien", middle_name="Іванівна", sex="X"),
    R("15", given_name="Ірина", family_name="Мельник", phone="067 123 45 67"),
    R("16", given_name="Ірина", family_name="Мельник", phone="+380671234567"),
    R("17", given_name="Tetiana", family_name="Cireieva", document_number="ЕК 123456"),
    R("18", given_name="Тетяна", family_name="Кіреєва", document_number="EK123456"),
    R("19", given_name="Петро", family_name="Бондар", address="вул. Хрещатик 22, Київ 01001"),
    R("20", given_name="Петро", family_name="Бондар", address="Khreshchatyk St 22 Kyiv"),
    R("21", given_name="Denys", family_name="Juravchac", birth_date="05/03/1990"),
    R("22", given_name="Денис", family_name="Журавчак", birth_date=None, citizenship="POL"),
]


def _rows_of(columns: dict[str, list[str | int | None]]) -> list[FeatureRow]:
    count = len(columns["record_id"])
    return [{name: columns[name][n] for name in FEATURE_COLUMNS} for n in range(count)]


def test_feature_columns_are_the_rows_of_features() -> None:
    """Each value met again, from the run's cache: a diminutive read by the sex (Валя of a
    woman and of a man), a patronymic split off or not, dates as text, dates and partial dates."""
    records = TRICKY + TRICKY[::-1]
    assert _rows_of(feature_columns(records)) == [features(record) for record in records]


def test_feature_columns_of_generated_registrations() -> None:
    """Names in Ukrainian, Russian and Latin with typos, in either field, patronymics here
    and there, dates as text, dates and partial dates: the same keys either way."""
    rng = random.Random(11)
    records = []
    for n in range(600):
        feminine = rng.random() < 0.5
        given = rng.choice(WOMEN if feminine else MEN)
        family = rng.choice(SURNAMES).form(feminine=feminine, russian=rng.random() < 0.3)
        first = rng.choice([given.uk, given.ru, latin(given.uk), typo(rng, given.uk)])
        last = rng.choice([family, latin(family), typo(rng, family)])
        if rng.random() < 0.1:
            first, last = last, first
        year, month, day = rng.randint(1940, 2010), rng.randint(1, 12), rng.randint(1, 28)
        birth = rng.choice(
            [
                f"{year}-{month:02d}-{day:02d}",
                f"{day:02d}.{month:02d}.{year}",
                str(year),
                datetime.date(year, month, day),
                PartialDate(year, month),
                None,
            ]
        )
        middle = rng.choice(["", "", latin(given.uk) + "ovych", "Іванівна", "Сергеевич"])
        sex = rng.choice(["F" if feminine else "M", "", "Female" if feminine else "Male"])
        records.append(R(str(n), rng.choice(["a", "b", ""]), first, middle, last, birth, sex))
    assert _rows_of(feature_columns(records)) == [features(record) for record in records]


def test_feature_columns_of_nothing() -> None:
    assert feature_columns([]) == {name: [] for name in FEATURE_COLUMNS}


def _python_order(rows: list[FeatureRow]) -> list[int]:
    """The content order as it was computed before Arrow sorted it: Python tuples of text."""

    def key(n: int) -> tuple[str, ...]:
        row = rows[n]
        content = ("" if row[c] is None else str(row[c]) for c in FEATURE_COLUMNS[2:])
        return (*content, str(row["record_id"]))

    return sorted(range(len(rows)), key=key)


def test_content_order_is_pythons_order_of_the_keys_as_text() -> None:
    """Missing keys and empty ones, prefixes ("a" < "a b" < "ab"), letters beyond ASCII and
    beyond the Basic Multilingual Plane, years of three and four digits (as text "1000" comes
    before "999"), rows that differ only by their record id."""
    rng = random.Random(5)
    pieces = [None, "", "a", "a b", "ab", "b", "é", "ж", "Ж", "\U0001f600", "z|", "a\x00", "1"]
    years = [None, 999, 1000, 1990, 2001]

    def value(name: str) -> str | int | None:
        return rng.choice(years) if name == "dob_year" else rng.choice(pieces)

    # Rows drawn from a few patterns with one to three keys changed: rows tie on the keys
    # before the one changed, at every depth.
    patterns = [{name: value(name) for name in FEATURE_COLUMNS} for _ in range(4)]
    rows: list[FeatureRow] = []
    for n in range(800):
        row = dict(rng.choice(patterns))
        for name in rng.sample(FEATURE_COLUMNS[2:], rng.randint(1, 3)):
            row[name] = value(name)
        row["record_id"] = rng.choice(["", "b", "a", "ab", "é"]) + str(n)
        rows.append(row)
    rows.extend({**rows[3], "record_id": rid} for rid in ("x", "w", "x1"))
    table = _table({name: [row[name] for row in rows] for name in FEATURE_COLUMNS})
    assert (*FEATURE_COLUMNS[2:], "record_id") == CONTENT_ORDER
    assert _content_order(table).to_pylist() == _python_order(rows)


class _Predictions:
    def __init__(self, table: Any) -> None:
        self.table = table

    def as_pyarrow_table(self) -> Any:
        return self.table


def _pairs_row_by_row(
    arrow: Any, model: dict[str, Any], possible: float, ids: list[str]
) -> list[CandidatePair]:
    """``run._pairs`` as it was, a dict per prediction."""
    levels = level_weights(model)
    level_tf = level_tf_columns(model)
    pairs = []
    for row in arrow.to_pylist():
        probability = float(row["match_probability"])
        if probability < possible:
            continue
        explanation = []
        for name in levels:
            weight = float(row[f"mw_{name}"] or 0.0)
            label = _level(levels[name], weight)
            weight += float(row.get(f"mw_tf_adj_{name}") or 0.0)
            frequency = None
            column = level_tf.get(name, {}).get(label)
            if column:
                shares = [row.get(f"tf_{column}_{side}") for side in ("l", "r")]
                known = [float(share) for share in shares if share is not None]
                frequency = max(known) if known else None
            explanation.append(FieldAgreement(name, label, weight, frequency))
        left, right = ids[int(row["record_id_l"])], ids[int(row["record_id_r"])]
        if right < left:
            left, right = right, left
        pairs.append(
            CandidatePair(left, right, probability, float(row["match_weight"]), tuple(explanation))
        )
    pairs.sort(key=lambda pair: (pair.left, pair.right))
    return pairs


@pytest.mark.parametrize("count", [0, 7, 1000])
def test_pairs_read_by_column_are_the_pairs_read_by_row(
    count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Predictions with every level's weight (and weights between levels), term-frequency
    adjustments and shares missing or not, probabilities on both sides of the threshold;
    more than one slice of them."""
    monkeypatch.setattr(run, "_PAIRS_SLICE", 64)
    model = settings_dict()
    levels = level_weights(model)
    rng = random.Random(count)
    ids = [f"id-{rng.randrange(10**6):06d}" for _ in range(50)]
    columns: dict[str, list[Any]] = {
        "record_id_l": [f"{rng.randrange(50):010d}" for _ in range(count)],
        "record_id_r": [f"{rng.randrange(50):010d}" for _ in range(count)],
        "match_probability": [rng.choice([0.2, 0.5, 0.7, 0.99, 1.0]) for _ in range(count)],
        "match_weight": [rng.uniform(-20, 20) for _ in range(count)],
    }
    for name, weights in levels.items():
        options = [weight for weight, _label in weights] + [None, 0.0, 1.234]
        columns[f"mw_{name}"] = [rng.choice(options) for _ in range(count)]
    for name in list(levels)[:3]:
        columns[f"mw_tf_adj_{name}"] = [rng.choice([None, 0.0, -1.5, 2.25]) for _ in range(count)]
    for column in ("given_skel", "family_skel", "family_dm"):
        for side in ("l", "r"):
            values = [None, 1e-6, 0.01, 0.25]
            columns[f"tf_{column}_{side}"] = [rng.choice(values) for _ in range(count)]
    arrow = pa.table(columns)
    expected = _pairs_row_by_row(arrow, model, 0.5, ids)
    assert _pairs(_Predictions(arrow), model, 0.5, ids) == expected
