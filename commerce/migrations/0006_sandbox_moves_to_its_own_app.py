"""The Dodo sandbox's table left ``commerce``; it now belongs to ``dodo_sandbox``.

0002 no longer creates ``commerce_sandboxobject`` (the sandbox is a development-only
app that production never installs, so production migrations create no sandbox
table). A database migrated before that change still has the old table: drop it.
Its rows were development fakes; the sandbox app's own migration starts afresh.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("commerce", "0005_order_refund_note"),
    ]

    operations = [
        migrations.RunSQL(
            "DROP TABLE IF EXISTS commerce_sandboxobject",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
