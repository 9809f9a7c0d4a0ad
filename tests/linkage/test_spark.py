"""Splink's Spark backend in local mode: the same model gives the same pairs as on DuckDB.

Runs where Java is installed (CI machines have Java 17); pyspark comes with the test extras.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from opennrm.linkage.engine.records import LinkageRecord
from opennrm.linkage.engine.run import LinkageSettings, link
from tests.linkage.test_model import GOLDEN

pytestmark = [
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java (not installed)"),
    pytest.mark.xdist_group("spark"),
]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from opennrm.linkage.engine.spark import spark_session

    session = spark_session("local[1]")
    yield session
    session.stop()


def _scored(result: Any) -> list[tuple[str, str, float, tuple[str, ...]]]:
    return [
        (p.left, p.right, round(p.probability, 6), tuple(e.level for e in p.explanation))
        for p in result.pairs
    ]


def test_spark_gives_the_duckdb_answer(spark: Any) -> None:
    records = [
        *GOLDEN,
        # A near spelling: its level calls Jaro-Winkler (on Spark, from the jar Splink ships).
        LinkageRecord(
            "typo-1", "ngo", "Наталія", "Іванівна", "Коваленкко", "1985-01-01", "F", "UKR"
        ),
    ]
    on_duckdb = link(records, LinkageSettings(train=False))
    on_spark = link(records, LinkageSettings(train=False, backend="spark"), spark_session=spark)
    assert _scored(on_spark) == _scored(on_duckdb)
    assert on_spark.clusters == on_duckdb.clusters
    assert on_spark.clusters["typo-1"] == on_spark.clusters["iom-2"]
    assert on_spark.persons == 4
