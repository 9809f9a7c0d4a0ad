from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class HtcdsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("HTCDS file"),
        help_text=_(
            "The HTCDS Excel toolkit (.xlsx), CSV or JSON, or a KoboToolbox or ODK export "
            "(JSON or CSV) of the standard's XLSForm."
        ),
    )
