"""A Spark session for Splink's Spark backend (``OPENNRM_LINKAGE_BACKEND=spark``).

Needs ``pip install pyspark`` and Java 17. Splink's similarity functions (Jaro-Winkler) come
from the jar Splink ships, put on the session's class path here. Intermediate tables are
persisted in memory, not checkpointed to disk (``run._spark_api``).
"""

from __future__ import annotations

from typing import Any


def spark_session(master: str = "local[2]") -> Any:
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    return (
        SparkSession.builder.master(master)
        .appName("opennrm-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
