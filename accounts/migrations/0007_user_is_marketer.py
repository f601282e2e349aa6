"""The marketer flag, and the Marketers group its holders join (admin access;
the marketing app grants what they do there)."""

from django.db import migrations, models


def create_marketers_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Marketers")
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    if access_admin is not None:
        group.permissions.add(access_admin)


def remove_marketers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Marketers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_magic_links"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="is_marketer",
            field=models.BooleanField(
                default=False,
                help_text="Builds the home page and landing pages: enters the "
                "admin through the Marketers group.",
                verbose_name="marketer",
            ),
        ),
        migrations.RunPython(create_marketers_group, remove_marketers_group),
    ]
