"""The referral's municipality is required from now on, and indexed for the AF's list and the acute filter (see
0006; a separate migration because PostgreSQL refuses to alter a table with the backfill's deferred foreign-key
checks pending in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0006_referral_signal_facts'),
    ]

    operations = [
        migrations.AlterField(
            model_name='referral',
            name='municipality',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                    to='organisations.organisation', verbose_name='gemeente van het signaal'),
        ),
        migrations.RemoveIndex(
            model_name='referral',
            name='referral_created_idx',
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(fields=['municipality', '-created_at', '-id'], name='referral_municipality_idx'),
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(condition=models.Q(('is_acute', True)), fields=['receiver_organisation', '-created_at'],
                               name='referral_receiver_acute_idx'),
        ),
    ]
