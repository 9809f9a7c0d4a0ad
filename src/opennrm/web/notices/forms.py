"""The preferences form: two boxes per kind of notification the user may receive (the gate
decides which: access/notices.py `receivable`)."""

from __future__ import annotations

from typing import Any

from django import forms

from opennrm.notices import kinds


class PreferencesForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        shown: list[str],
        current: dict[str, tuple[bool, bool]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        current = current or {}
        self.shown = shown
        self.rows = []
        for code in shown:
            kind = kinds.KINDS[code]
            in_app, by_email = current.get(code, (True, True))
            slug = code.replace(".", "_")
            self.fields[f"{slug}_app"] = forms.BooleanField(
                required=False, initial=in_app, label=str(kind.label)
            )
            self.fields[f"{slug}_email"] = forms.BooleanField(
                required=False, initial=by_email, label=str(kind.label)
            )
            self.rows.append((kind, self[f"{slug}_app"], self[f"{slug}_email"]))

    def choices(self) -> dict[str, tuple[bool, bool]]:
        return {
            code: (
                bool(self.cleaned_data[f"{code.replace('.', '_')}_app"]),
                bool(self.cleaned_data[f"{code.replace('.', '_')}_email"]),
            )
            for code in self.shown
        }
