"""The form renderer: Django's, with this package's few widget templates first.

`form_templates/django/forms/widgets/select_option.html` gives every select's empty option a
real, translated label ("— choose —", "— оберіть —") instead of Django's "---------" or a bare
dash, whichever form declared it (settings.FORM_RENDERER)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import django.forms
from django.forms.renderers import DjangoTemplates

HERE = Path(__file__).resolve().parent


class FormRenderer(DjangoTemplates):
    @cached_property
    def engine(self) -> Any:
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    HERE / "form_templates",
                    Path(django.forms.__file__).resolve().parent / "templates",
                ],
                "NAME": "opennrm-forms",
                "OPTIONS": {},
            }
        )
