"""Load the signalenlijst from indicator_catalogue."""

from django.db import migrations


def load(apps, schema_editor):
    from meldroute.intake.indicator_catalogue import INDICATORS

    Indicator = apps.get_model("intake", "Indicator")
    for position, spec in enumerate(INDICATORS):
        Indicator.objects.update_or_create(code=spec.code, defaults={"form": spec.form, "text": spec.text,
                                                                     "position": position})


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
