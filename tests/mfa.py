"""Second-factor helpers for tests: a user's devices, codes computed from them, and the
force-logged-in client treated as fully logged in (tests only: tests/conftest.py installs it).

Production never sees any of this: the session is marked the way django-otp's own `login`
marks it after a real second step (its device id in the session), with a device made here.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from opennrm.access.second_factor import needs_passkey, user_roles
from opennrm.accounts.models import User


def totp_device(user: User) -> TOTPDevice:
    """The user's confirmed TOTP device (made when missing)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="totp", confirmed=True)
    return device


def totp_code(device: TOTPDevice, at: float | None = None) -> str:
    """The code the user's app shows now (or at ``at``)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return str(totp.token()).zfill(device.digits)


def stand_in_passkey(user: User) -> WebAuthnCredential:
    """A passkey record for a user whose role needs one (no authenticator behind it: only a
    force-logged-in test session can claim it)."""
    credential = WebAuthnCredential.objects.filter(user=user, confirmed=True).first()
    if credential is None:
        credential = WebAuthnCredential.objects.create(
            user=user,
            name="test passkey",
            credential_id=secrets.token_bytes(16),
            public_key=b"not-a-key",
            aaguid="00000000-0000-0000-0000-000000000000",
        )
    return credential


def mark_verified(client: Client, user: User) -> None:
    """Mark the client's session verified by the user's second factor (a passkey for the
    roles that need one), as django_otp.login does after the real second step."""
    device: Any = totp_device(user)
    if needs_passkey(user_roles(user)):
        device = stand_in_passkey(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


_django_force_login = Client.force_login


def force_login_verified(self: Client, user: Any, backend: str | None = None) -> None:
    """`Client.force_login` in the tests: logged in and verified by the second factor, the
    first login's steps done (a demo user's initial password counts as changed)."""
    if isinstance(user, User) and user.must_change_password:
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        user.must_change_password = False
    _django_force_login(self, user, backend)
    if isinstance(user, User):
        mark_verified(self, user)


def install() -> None:
    Client.force_login = force_login_verified  # type: ignore[method-assign]
