"""The route's municipality is required from now on; the running routes are indexed per municipality (see 0006).
A separate migration from the backfill: PostgreSQL refuses to alter a table with the backfill's deferred foreign-key
checks still pending in the same transaction."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('routing', '0006_route_municipality'),
    ]

    operations = [
        migrations.AlterField(
            model_name='signalroute',
            name='municipality',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                    to='organisations.organisation'),
        ),
        migrations.RemoveIndex(
            model_name='signalroute',
            name='route_open_idx',
        ),
        migrations.AddIndex(
            model_name='signalroute',
            index=models.Index(condition=models.Q(('finished_at__isnull', True)), fields=['municipality', 'id'],
                               include=('signal',), name='route_open_muni_idx'),
        ),
        migrations.AddIndex(
            model_name='signalroutestep',
            index=models.Index(condition=models.Q(('state', 'active')), fields=['signal_route'],
                               include=('due_at',), name='route_step_active_idx'),
        ),
    ]
