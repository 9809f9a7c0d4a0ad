"""What every web form shares: a service's refusal shown on the form."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.forms import Form
from django.utils.translation import gettext as _

from opennrm.core.ages import PartialDate


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


def year_or_date(value: str) -> str:
    """A birth date given as a full date or a year (31.12.1990, 1990-12-31 or 1990), in ISO
    ("1990-12-31", "1990"); "" stays "". Raises the form's ValidationError otherwise."""
    text = value.strip()
    if not text:
        return ""
    try:
        date = PartialDate.parse(text)
    except ValueError:
        date = PartialDate(None)
    if date.year is None or (date.month is not None and date.day is None):
        raise ValidationError(_("Give DD.MM.YYYY, YYYY-MM-DD or the year YYYY."))
    return date.isoformat()
