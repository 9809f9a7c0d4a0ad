"""API tokens expire: tokens issued before this migration expire 90 days after their issue."""

import datetime

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

DAYS = 90


def set_expiry(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    api_token = apps.get_model("accounts", "ApiToken")
    for token in api_token.objects.filter(expires_at__isnull=True).only("id", "created_at"):
        token.expires_at = token.created_at + datetime.timedelta(days=DAYS)
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(set_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(),
        ),
        migrations.AlterModelOptions(name="apitoken", options={"ordering": ["-created_at"]}),
    ]
