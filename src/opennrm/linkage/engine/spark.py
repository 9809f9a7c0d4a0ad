"""A Spark session for Splink's Spark backend (``OPENNRM_LINKAGE_BACKEND=spark``).

Needs ``pip install pyspark`` and Java 17. Splink's own similarity functions come from the jar
Splink ships, put on the session's class path here. The model's Jaro-Winkler is DuckDB's,
computed by DuckDB in Spark's Python workers (``use_duckdb_jaro_winkler``), so that Spark gives
DuckDB's answer. Intermediate tables are persisted in memory, not checkpointed to disk
(``run._spark_api``).
"""

from __future__ import annotations

import os
import sys
from typing import Any

DEFAULT_DRIVER_MEMORY = "2g"

# The name the model's SQL calls (``model.py``); Splink passes it to Spark as written.
JARO_WINKLER = "jaro_winkler_similarity"
# A pair at half a transposition: 0.9022 in DuckDB (which rounds the transpositions down),
# 0.8756 in Spark's own function (4.3 and later) and in the jar's.
_PROBE = ("tania", "taiana")


def spark_session(
    master: str = "local[2]",
    *,
    driver_memory: str = DEFAULT_DRIVER_MEMORY,
    shuffle_partitions: int = 0,
) -> Any:
    """A session on ``master``. ``driver_memory`` is the driver's heap (in local mode the
    executors work in it too); it must be set before the driver's JVM starts, so here.
    ``shuffle_partitions`` 0: two per core the session has (``defaultParallelism``: the
    executors' cores on a cluster, the threads of ``local[n]``).

    In local mode Spark's Python workers run this Python (unless ``PYSPARK_PYTHON`` names
    another), which has DuckDB; Spark's default, ``python3`` on the path, may not have it. On a
    cluster ``PYSPARK_PYTHON`` must name the executors' Python."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    if master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master(master)
        .appName("opennrm-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", driver_memory)
        .getOrCreate()
    )
    partitions = shuffle_partitions or 2 * session.sparkContext.defaultParallelism
    session.conf.set("spark.sql.shuffle.partitions", str(partitions))
    return session


def use_duckdb_jaro_winkler(session: Any, *, arrow: bool | None = None) -> None:
    """Register in ``session`` DuckDB's ``jaro_winkler_similarity`` under the name the model
    calls, in place of Spark's own (Spark 4.3 has one) or none (Spark before 4.3).

    Spark's function, like the one of the jar Splink ships, counts half a transposition where
    DuckDB rounds the number of transpositions down, so a pair with one letter out of order
    scores lower on Spark and may miss a "near spelling" level. The function registered here
    is a vectorized UDF that hands each batch of pairs (Arrow arrays) to DuckDB's own function:
    the values are DuckDB's by construction (NULL for a NULL, 0 for empty strings, letters
    rather than bytes). It is an Arrow UDF where pyspark has them (4.1 and later; ``arrow``
    None), else a pandas UDF, which makes a Python string of every value (4 million pairs on 2
    cores: 7.0 s against 2.5 s). It is pickled by value: the executors' Python needs
    ``duckdb`` and ``pyarrow`` (and ``pandas`` before pyspark 4.1), not OpenNRM.

    Spark resolves a built-in function before a session function of the same name unless
    ``spark.sql.functionResolution.sessionOrder`` is ``first`` (Spark 4.3), which is set here
    for the session. A probe pair then checks that the name gives DuckDB's value.
    """
    import pyarrow as pa
    from pyspark.sql import functions

    if arrow is None:
        arrow = hasattr(functions, "arrow_udf")
    state: dict[str, Any] = {}

    def similarity(left: Any, right: Any) -> Any:
        import duckdb

        connection = state.get("connection")
        if connection is None:
            # One thread: the executor's cores already run one task each.
            connection = state["connection"] = duckdb.connect(config={"threads": 1})
        connection.register("opennrm_pairs", pa.table({"l": left, "r": right}))
        try:
            query = "SELECT jaro_winkler_similarity(l, r)::DOUBLE AS s FROM opennrm_pairs"
            return connection.sql(query).to_arrow_table().column(0).combine_chunks()
        finally:
            connection.unregister("opennrm_pairs")

    def from_pandas(left: Any, right: Any) -> Any:
        strings = pa.string()
        return similarity(pa.array(left, strings), pa.array(right, strings)).to_pandas()

    # Spark tells the kind of UDF by the type hints (set here: the module postpones
    # annotations, and pandas is imported only where it is used).
    if arrow:
        function: Any = similarity
        function.__annotations__ = {"left": pa.Array, "right": pa.Array, "return": pa.Array}
        udf = functions.arrow_udf(function, "double")  # type: ignore[attr-defined]
    else:
        import pandas as pd  # type: ignore[import-untyped]
        from pyspark.sql.pandas.functions import pandas_udf

        function = from_pandas
        function.__annotations__ = {"left": pd.Series, "right": pd.Series, "return": pd.Series}
        udf = pandas_udf(function, "double")  # type: ignore[call-overload]
    session.conf.set("spark.sql.functionResolution.sessionOrder", "first")
    session.udf.register(JARO_WINKLER, udf)
    _check(session)


def _check(session: Any) -> None:
    import duckdb

    left, right = _PROBE
    query = f"SELECT {JARO_WINKLER}('{left}', '{right}') AS s"
    expected = duckdb.connect().execute(query).fetchall()[0][0]
    found = session.sql(query).collect()[0]["s"]
    if found != expected:
        raise RuntimeError(
            f"Spark's {JARO_WINKLER} is not DuckDB's ({found} for {_PROBE}, DuckDB {expected}):"
            " this Spark version resolves its own function before the session's"
        )
