"""The national default receivers of a signal of another phenomenon (partners.constants), as data."""

from django.db import migrations

from meldroute.partners.constants import default_phenomenon_receivers


def create_defaults(apps, schema_editor):
    PhenomenonReceiver = apps.get_model("partners", "PhenomenonReceiver")
    for row in default_phenomenon_receivers():
        PhenomenonReceiver.objects.get_or_create(
            region=None, phenomenon=row["phenomenon"],
            defaults={k: row[k] for k in ("partner_type", "receiver_name", "source")})


class Migration(migrations.Migration):
    dependencies = [("partners", "0003_phenomenon_receivers")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
