"""Forms of one's own account: the second-factor code, the password change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from opennrm.accounts.models import User


class LoginForm(AuthenticationForm):
    """The password step; an expired initial password opens nothing."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "initial_password_expired": _(
            "This initial password has expired. Ask your agency's administrator for a new one."
        ),
    }

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if isinstance(user, User) and user.initial_password_expired:
            raise forms.ValidationError(
                self.error_messages["initial_password_expired"], code="initial_password_expired"
            )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code of your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        return "".join(str(self.cleaned_data["code"]).split()).replace("-", "").lower()


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=16,
        help_text=_("The 6-digit code your authenticator app shows now."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        return "".join(str(self.cleaned_data["code"]).split())


class NewPasswordForm(PasswordChangeForm):
    """Django's change form (old password, the validators) and: not the same password again."""

    def clean_new_password1(self) -> str:
        password = str(self.cleaned_data.get("new_password1") or "")
        if password and self.user.check_password(password):
            raise forms.ValidationError(
                _("Choose a new password, not the one you have now."), code="password_unchanged"
            )
        return password
