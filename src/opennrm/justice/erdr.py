"""The number of a criminal proceeding in the Unified Register of Pre-trial Investigations.

Seventeen digits (Regulation on the ERDR, Prosecutor General's Office order No. 139 of 6 Apr
2016, and No. 298 of 30 Jun 2020): a one-digit sign of the registering body, the four-digit
year of registration, a two-digit region code, then the unit and a sequence number, e.g.
12016220000000123 (registered in 2016, Kharkiv oblast). The register opened on 20 Nov 2012.
Plain Python: the checks return messages, the service turns them into field errors.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

LENGTH = 17
FIRST_YEAR = 2012


def erdr_problems(number: str, registered_on: dt.date | None) -> list[str]:
    """Why an ERDR number is not valid for a proceeding registered on a date (empty: valid)."""
    if not number:
        return [_("This field is required.")]
    if not number.isascii() or not number.isdigit():
        return [_("An ERDR number has digits only.")]
    if len(number) != LENGTH:
        return [
            _("An ERDR number has %(n)d digits; this one has %(m)d.")
            % {"n": LENGTH, "m": len(number)}
        ]
    year = int(number[1:5])
    if year < FIRST_YEAR:
        return [
            _("Digits 2-5 give the year of registration; %(year)d is before the register opened.")
            % {"year": year}
        ]
    if registered_on is not None and year != registered_on.year:
        return [
            _(
                "The number encodes the year %(year)d, but the proceeding was registered in "
                "%(registered)d."
            )
            % {"year": year, "registered": registered_on.year}
        ]
    return []
