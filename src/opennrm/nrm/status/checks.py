"""System checks: the deadline and payment settings are read and validated at start-up."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured

from opennrm.nrm.status import deadlines, payments


def check_status_settings(**kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    readers = (
        deadlines.rules,
        lambda: [deadlines.window(name) for name in deadlines.DEFAULT_WINDOWS],
        payments.minimums,
        payments.multipliers,
    )
    for read in readers:
        try:
            read()
        except ImproperlyConfigured as exc:
            problems.append(Error(str(exc), id="opennrm.status.E001"))
    return problems
