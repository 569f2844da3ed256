"""The public form for residents (issue 16): the channel value "inwoner", each municipality's on/off choice and the
rate-limit counters."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def rename_public_channel(apps, schema_editor):
    # The channel existed as "public" before any resident could use it; store the value the issue names.
    apps.get_model("intake", "Signal").objects.filter(channel="public").update(channel="inwoner")


def restore_public_channel(apps, schema_editor):
    apps.get_model("intake", "Signal").objects.filter(channel="inwoner").update(channel="public")


class Migration(migrations.Migration):

    dependencies = [
        ("intake", "0006_partner_reference_once"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="signal",
            name="channel",
            field=models.CharField(choices=[("internal", "Interne melding medewerker"), ("partner", "Ketenpartner"),
                                            ("inwoner", "Inwoner (openbaar formulier)")],
                                   default="internal", max_length=16, verbose_name="kanaal"),
        ),
        migrations.RunPython(rename_public_channel, restore_public_channel),
        migrations.CreateModel(
            name="ResidentFormCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=64)),
                ("window_start", models.DateTimeField()),
                ("count", models.PositiveIntegerField(default=0)),
            ],
            options={
                "indexes": [models.Index(fields=["window_start"], name="resident_counter_window_idx")],
                "constraints": [models.UniqueConstraint(fields=("key", "window_start"), name="resident_counter_once")],
            },
        ),
        migrations.CreateModel(
            name="ResidentForm",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("is_enabled", models.BooleanField(default=False, verbose_name="inwonerformulier aan")),
                ("local_help_name", models.CharField(blank=True, max_length=120,
                                                     verbose_name="naam hulporganisatie in de regio")),
                ("local_help_url", models.URLField(blank=True, verbose_name="website hulporganisatie in de regio")),
                ("municipality", models.OneToOneField(limit_choices_to={"kind": "municipality"},
                                                      on_delete=django.db.models.deletion.CASCADE,
                                                      related_name="resident_form", to="organisations.organisation",
                                                      verbose_name="gemeente")),
            ],
            options={
                "verbose_name": "inwonerformulier",
                "verbose_name_plural": "inwonerformulieren",
            },
        ),
    ]
