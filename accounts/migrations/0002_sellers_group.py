"""Create the Sellers group, which may enter the Wagtail admin."""

from django.db import migrations


def create_sellers_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Sellers")
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    if access_admin is not None:
        group.permissions.add(access_admin)


def remove_sellers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Sellers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_sellers_group, remove_sellers_group)]
