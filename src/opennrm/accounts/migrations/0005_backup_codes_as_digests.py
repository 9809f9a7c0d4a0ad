"""Replace the backup codes stored in clear by their digests (accounts/otp_secrets.py). One
way: the codes cannot be recovered, so the reverse leaves the digests (codes still work)."""

from typing import Any

from django.db import migrations


def digest_existing(apps: Any, schema_editor: Any) -> None:
    from opennrm.accounts.otp_secrets import DIGEST_MARK, code_digest

    token_model = apps.get_model("otp_static", "StaticToken")
    for token in token_model.objects.exclude(token__startswith=DIGEST_MARK).iterator():
        token.token = code_digest(token.token)
        token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_totp_secrets_at_rest"),
        ("otp_static", "0003_add_timestamps"),
    ]
    operations = [migrations.RunPython(digest_existing, migrations.RunPython.noop)]
