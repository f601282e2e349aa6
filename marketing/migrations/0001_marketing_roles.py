"""The Marketers and Marketing leads groups, the Marketing collection, and what
the groups may do (see ``marketing.setup``)."""

from django.db import migrations

from marketing.setup import grant_marketing_permissions, revoke_marketing_permissions


def grant(apps, schema_editor):
    grant_marketing_permissions(apps)


def revoke(apps, schema_editor):
    revoke_marketing_permissions(apps)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0007_user_is_marketer"),
        ("home", "0004_landing_page_selling_blocks_seo_campaign"),
        ("newsletter", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
