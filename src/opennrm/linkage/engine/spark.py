"""A Spark session for Splink's Spark backend (``OPENNRM_LINKAGE_BACKEND=spark``).

Needs ``pip install pyspark`` and Java 17. Splink's similarity functions (Jaro-Winkler) come
from the jar Splink ships, put on the session's class path here. Intermediate tables are
persisted in memory, not checkpointed to disk (``run._spark_api``).
"""

from __future__ import annotations

from typing import Any

DEFAULT_DRIVER_MEMORY = "2g"


def spark_session(
    master: str = "local[2]",
    *,
    driver_memory: str = DEFAULT_DRIVER_MEMORY,
    shuffle_partitions: int = 0,
) -> Any:
    """A session on ``master``. ``driver_memory`` is the driver's heap (in local mode the
    executors work in it too); it must be set before the driver's JVM starts, so here.
    ``shuffle_partitions`` 0: two per core the session has (``defaultParallelism``: the
    executors' cores on a cluster, the threads of ``local[n]``)."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

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
