"""System check: the indicator files load and validate (a bad file fails at start, not mid-form)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from opennrm.nrm.screening import indicators


@register()
def indicator_files_are_valid(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        indicators.current_set()
        indicators.all_versions()
    except (OSError, ValueError) as exc:
        return [
            Error(
                f"The ILO/EC indicator file is invalid: {exc}",
                hint=f"Check {indicators.DATA_DIR}.",
                id="opennrm.screening.E001",
            )
        ]
    return []
