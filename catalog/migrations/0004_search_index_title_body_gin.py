"""PostgreSQL only: a GIN index on ``title || body`` of Wagtail's search index.

The PostgreSQL search backend matches ``(title || body) @@ query``; the per-column
GIN indexes Wagtail creates cannot serve that expression, so every search scanned
every index entry. This expression index can (a bitmap index scan). SQLite and
other databases are left alone.
"""

from django.db import migrations

INDEX = "catalog_search_title_body_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} "
            "ON wagtailsearch_indexentry USING gin ((title || body))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_product_index_and_seller_permissions"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
