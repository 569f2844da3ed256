"""The national default sharing rules (partners.constants.default_sharing_rules), as data."""

from django.db import migrations

from meldroute.partners.constants import default_sharing_rules


def create_defaults(apps, schema_editor):
    SharingRule = apps.get_model("partners", "SharingRule")
    for row in default_sharing_rules():
        SharingRule.objects.get_or_create(region=None, partner_type=row["partner_type"], category=row["category"],
                                          defaults={"grounds": row["grounds"], "source": row["source"]})


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
