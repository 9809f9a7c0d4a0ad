"""The cases' codes lose their index on the case alone: the unique index over (case, list, code)
starts with the case and serves every read by case. Only the index is dropped (an instant on
both databases); Django's own way to change the field would copy the table on SQLite and drop
and check again the foreign key on PostgreSQL."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "cases_casecode_case_id_5c90971b"  # the name Django gave it (0001)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_saved_search"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="casecode",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="codes",
                        to="cases.case",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "cases_casecode" ("case_id")',
                ),
            ],
        ),
    ]
