"""A referral carries its signal's municipality and acute flag (both fixed once a signal is in), so the AF's list is
scoped and counted, and the partner's acute filter applied, without reading the signals' history (issue 17)."""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
UPDATE referrals_referral SET
    municipality_id = (SELECT s.municipality_id FROM intake_signal s WHERE s.id = referrals_referral.signal_id),
    is_acute = (SELECT s.is_acute FROM intake_signal s WHERE s.id = referrals_referral.signal_id)
"""


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0003_acute_phone'),
        ('referrals', '0005_referral_list_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='referral',
            name='is_acute',
            field=models.BooleanField(default=False, verbose_name='acuut signaal'),
        ),
        migrations.AddField(
            model_name='referral',
            name='municipality',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name='+', to='organisations.organisation',
                                    verbose_name='gemeente van het signaal'),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
