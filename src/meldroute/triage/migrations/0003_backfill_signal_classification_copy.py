"""Fill the signal's copy of its classification (intake 0004: classified_at, classified_forms, classified_sector)
for signals classified before the copy existed. From here on triage.services.classify_signal keeps it."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy_classifications(apps, schema_editor):
    Signal = apps.get_model("intake", "Signal")
    Classification = apps.get_model("triage", "Classification")
    of_signal = Classification.objects.filter(signal_id=OuterRef("pk"))
    Signal.objects.filter(classification__isnull=False).update(
        classified_at=Subquery(of_signal.values("created_at")[:1]),
        classified_forms=Subquery(of_signal.values("forms")[:1]),
        classified_sector=Subquery(of_signal.values("sector")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("intake", "0004_signal_classification_copy"),
        ("triage", "0002_lookups_and_links"),
    ]

    operations = [
        # Backwards: nothing to undo here; reversing intake 0004 drops the columns.
        migrations.RunPython(copy_classifications, migrations.RunPython.noop, elidable=True),
    ]
