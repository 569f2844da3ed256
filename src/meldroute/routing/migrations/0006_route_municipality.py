"""A route carries its signal's municipality, so the inbox's overdue-step count reads only the municipality's running
routes (issue 17: the cost follows the municipality's open work, not the region's or the country's)."""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
UPDATE routing_signalroute SET municipality_id = (
    SELECT intake_signal.municipality_id FROM intake_signal WHERE intake_signal.id = routing_signalroute.signal_id)
"""


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0003_acute_phone'),
        ('routing', '0005_route_open_idx'),
    ]

    operations = [
        migrations.AddField(
            model_name='signalroute',
            name='municipality',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name='+', to='organisations.organisation'),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
