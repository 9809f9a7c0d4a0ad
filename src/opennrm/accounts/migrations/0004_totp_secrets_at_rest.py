"""Encrypt the TOTP secrets already stored in clear (accounts/otp_secrets.py)."""

from typing import Any

from django.db import migrations


def seal_existing(apps: Any, schema_editor: Any) -> None:
    from opennrm.accounts.otp_secrets import is_sealed, seal_hex

    device_model = apps.get_model("otp_totp", "TOTPDevice")
    for device in device_model.objects.all().iterator():
        if device.key and not is_sealed(device.key):
            device.key = seal_hex(device.key, device.user_id)
            device.save(update_fields=["key"])


def open_existing(apps: Any, schema_editor: Any) -> None:
    from opennrm.accounts.otp_secrets import is_sealed, open_key

    device_model = apps.get_model("otp_totp", "TOTPDevice")
    for device in device_model.objects.all().iterator():
        if is_sealed(device.key):
            device.key = open_key(device.key, device.user_id).hex()
            device.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_initial_password"),
        ("otp_totp", "0003_add_timestamps"),
    ]
    operations = [migrations.RunPython(seal_existing, open_existing)]
