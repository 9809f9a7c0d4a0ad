"""Rebuild the name blind indexes with the kinds of key the case search now looks up
(transliteration skeleton, equivalent given names, beginnings: `core.name_keys`).

The rows are read and written through the historical models; decrypting needs the key ring
only when there are persons. `opennrm reindex-names` does the same at any later time.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def reindex(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from opennrm.people.identity import reindex_names

    person = apps.get_model("people", "Person")
    if person.objects.exists():
        reindex_names(person, apps.get_model("people", "PersonSearchKey"))


class Migration(migrations.Migration):
    dependencies = [("people", "0002_htcds_profile")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
