from __future__ import annotations

from collections.abc import Callable

DEMO_PASSWORD = "demo-nrm-2016!"  # noqa: S105 (printed by `opennrm demo`, demo only)


def load_demo(progress: Callable[[str], None]) -> bool:
    return False


def demo_logins() -> list[tuple[str, list[tuple[str, str]]]]:
    return []
