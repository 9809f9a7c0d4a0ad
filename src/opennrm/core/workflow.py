"""State machines as data: a table of states and allowed transitions, each with its permission.

Pure Python. A process (referral, status application, case) declares one `Workflow`; services
ask it whether a transition is allowed and which permission it needs, and refuse anything else
with `IllegalTransition`, whose message names the process, the state and the action.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Transition:
    action: str
    source: frozenset[str]
    target: str
    permission: str
    label: str | Promise = ""


class IllegalTransition(Exception):
    """A transition that the process's table does not allow from the current state."""

    def __init__(self, process: str, state: str, action: str):
        self.process, self.state, self.action = process, state, action
        super().__init__(
            _("%(process)s: “%(action)s” is not possible in the state “%(state)s”.")
            % {"process": process, "action": action, "state": state}
        )


@dataclass(frozen=True)
class Workflow:
    name: str
    states: tuple[str, ...]
    initial: str
    transitions: tuple[Transition, ...]
    final: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        known = set(self.states)
        if self.initial not in known:
            raise ValueError(f"{self.name}: unknown initial state {self.initial}")
        actions = [t.action for t in self.transitions]
        if len(actions) != len(set(actions)):
            raise ValueError(f"{self.name}: an action is declared twice")
        for t in self.transitions:
            if not t.source <= known or t.target not in known:
                raise ValueError(f"{self.name}: {t.action} uses an unknown state")
            if t.source & self.final:
                raise ValueError(f"{self.name}: {t.action} leaves a final state")

    def transition(self, action: str) -> Transition:
        for t in self.transitions:
            if t.action == action:
                return t
        raise KeyError(f"{self.name}: no action {action!r}")

    def check(self, state: str, action: str) -> Transition:
        """The transition for an action from a state; IllegalTransition when not allowed."""
        try:
            t = self.transition(action)
        except KeyError:
            raise IllegalTransition(self.name, state, action) from None
        if state not in t.source:
            raise IllegalTransition(self.name, state, action)
        return t

    def available(self, state: str, permissions: Iterable[str] | None = None) -> list[Transition]:
        """Transitions possible from a state; with `permissions`, only those they grant."""
        granted = None if permissions is None else set(permissions)
        return [
            t
            for t in self.transitions
            if state in t.source and (granted is None or t.permission in granted)
        ]
