"""TOTP secrets are encrypted at rest and backup codes kept as digests (accounts/otp_secrets.py):
the database holds no secret a reader could turn into codes; django-otp verifies through them."""

from __future__ import annotations

import base64
import importlib
from collections.abc import Callable

import pytest
from django.apps import apps as global_apps
from django.db import connection
from django.db.migrations.state import ProjectState
from django_otp.plugins.otp_totp.models import TOTPDevice

from opennrm.accounts.models import User
from opennrm.accounts.otp_secrets import PREFIX, open_key
from opennrm.accounts.services import pending_totp_device
from opennrm.tenancy.models import Agency
from opennrm.vault.aead import DecryptionError
from tests.mfa import totp_code

migration = importlib.import_module("opennrm.accounts.migrations.0004_totp_secrets_at_rest")
backup_migration = importlib.import_module(
    "opennrm.accounts.migrations.0005_backup_codes_as_digests"
)


def _stored(device: TOTPDevice) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM otp_totp_totpdevice WHERE id = %s", [device.pk])
        row = cursor.fetchone()
    assert row is not None
    return str(row[0])


@pytest.mark.django_db
def test_the_totp_secret_is_stored_encrypted_and_still_verifies(caseworker: User) -> None:
    device = pending_totp_device(caseworker)  # as the first login's enrolment makes it
    secret = device.bin_key
    assert len(secret) == 20
    stored = _stored(device)
    assert stored.startswith(PREFIX)
    assert secret.hex() not in stored.lower()
    assert base64.b32encode(secret).decode() not in stored.upper()
    assert TOTPDevice.objects.get(pk=device.pk).bin_key == secret  # read back, opened
    fresh = TOTPDevice.objects.get(pk=device.pk)
    assert fresh.verify_token(totp_code(fresh)) is True  # django-otp's own verification
    assert "secret=" + base64.b32encode(secret).decode().rstrip("=") in fresh.config_url
    after = _stored(fresh)  # verification saved the device (last_t): still sealed
    assert after.startswith(PREFIX)
    assert secret.hex() not in after.lower()


@pytest.mark.django_db
def test_a_secret_copied_to_another_users_device_does_not_open(
    caseworker: User, make_user: Callable[..., User], agency_a: Agency
) -> None:
    mine = pending_totp_device(caseworker)
    other = make_user("someone.else", agency_a, "caseworker")
    with pytest.raises(DecryptionError):
        open_key(_stored(mine), other.pk)


@pytest.mark.django_db
def test_the_migration_seals_secrets_stored_in_clear(caseworker: User) -> None:
    device = TOTPDevice.objects.create(user=caseworker, name="totp", confirmed=True)
    secret = device.bin_key
    TOTPDevice.objects.filter(pk=device.pk).update(key=secret.hex())  # as before the change
    assert _stored(device) == secret.hex()
    migration.seal_existing(ProjectState.from_apps(global_apps).apps, None)
    assert _stored(device).startswith(PREFIX)
    assert TOTPDevice.objects.get(pk=device.pk).bin_key == secret


@pytest.mark.django_db
def test_backup_codes_are_stored_as_digests_and_work_once(caseworker: User) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from opennrm.accounts.otp_secrets import DIGEST_MARK
    from opennrm.accounts.services import _replace_backup_codes

    codes = _replace_backup_codes(caseworker)  # as the first login shows them, once
    stored = list(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == len(codes) == 10
    assert all(t.startswith(DIGEST_MARK) and len(t) == 16 for t in stored)
    assert not set(codes) & set(stored)
    device = StaticDevice.objects.get(user=caseworker)
    assert device.verify_token(stored[0]) is False  # a digest read from the table opens nothing
    assert device.verify_token(codes[0]) is True
    assert StaticDevice.objects.get(user=caseworker).verify_token(codes[0]) is False  # once
    # A token saved one by one (pre_save) is digested too; the migration digests old rows.
    StaticToken.objects.create(device=device, token="aaaa2222")
    assert not StaticToken.objects.filter(token="aaaa2222").exists()
    StaticToken.objects.filter(device=device).update(token="cccc4444")
    backup_migration.digest_existing(ProjectState.from_apps(global_apps).apps, None)
    assert not StaticToken.objects.filter(token="cccc4444").exists()
    # The failed tries above throttle the device for a second or two (django-otp): not this.
    migrated = StaticDevice.objects.get(user=caseworker)
    migrated.throttle_reset()
    assert migrated.verify_token("cccc4444") is True
