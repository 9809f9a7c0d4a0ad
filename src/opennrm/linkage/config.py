"""Linkage settings as the engine wants them, read from Django settings (see README)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from opennrm.linkage.engine.run import LinkageSettings


def engine_settings(**overrides: Any) -> LinkageSettings:
    values: dict[str, Any] = {
        "match_threshold": settings.OPENNRM_LINKAGE_MATCH_THRESHOLD,
        "possible_threshold": settings.OPENNRM_LINKAGE_POSSIBLE_THRESHOLD,
        "corroboration_threshold": settings.OPENNRM_LINKAGE_CORROBORATION_THRESHOLD,
        "seed": settings.OPENNRM_LINKAGE_SEED,
        "backend": settings.OPENNRM_LINKAGE_BACKEND,
        "memory_limit": settings.OPENNRM_LINKAGE_MEMORY_LIMIT,
        "spill_directory": settings.OPENNRM_LINKAGE_SPILL_DIR or None,
    }
    values.update(overrides)
    return LinkageSettings(**values)


def band_thresholds() -> tuple[float, float, float]:
    """(lower, match, higher): the thresholds a count of persons is given at."""
    return (
        settings.OPENNRM_LINKAGE_POSSIBLE_THRESHOLD,
        settings.OPENNRM_LINKAGE_MATCH_THRESHOLD,
        settings.OPENNRM_LINKAGE_BAND_HIGH,
    )


def corroboration_threshold() -> float:
    """The corroboration threshold as the count uses it (``LinkageSettings.corroboration``)."""
    return engine_settings().corroboration


def spark_session() -> Any:
    """A Spark session for the Spark backend (local mode unless a master URL is set)."""
    from opennrm.linkage.engine.spark import spark_session as session

    return session(
        settings.OPENNRM_LINKAGE_SPARK_MASTER,
        driver_memory=settings.OPENNRM_LINKAGE_SPARK_DRIVER_MEMORY,
        shuffle_partitions=settings.OPENNRM_LINKAGE_SPARK_PARTITIONS,
    )
