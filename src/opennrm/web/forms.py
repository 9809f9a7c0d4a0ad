"""What every web form shares: a service's refusal shown on the form."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.forms import Form


def apply_service_errors(
    form: Form, exc: ValidationError, rename: Mapping[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: each message next to its field (after
    ``rename``, service name -> form field name), else as an error of the whole form."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for key, errors in exc.message_dict.items():
        name = (rename or {}).get(key, key)
        for message in errors:
            form.add_error(name if name in form.fields else None, message)
