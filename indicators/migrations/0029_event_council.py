"""Events (issue 26) are their council's, as the questions are: every existing event is the
one council's (the database was one council's, council one, made by 0026 if need be)."""

import django.db.models.deletion
from django.db import migrations, models

import indicators.tenancy


def _key(**extra):
    return models.ForeignKey(
        editable=False,
        on_delete=extra.pop("on_delete", django.db.models.deletion.PROTECT),
        related_name="+",
        to="indicators.council",
        **extra,
    )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0028_memberships_from_groups")]

    operations = [
        migrations.AddField(
            model_name="event", name="council", field=_key(default=1), preserve_default=False
        ),
        migrations.AddField(
            model_name="historicalevent",
            name="council",
            field=_key(
                default=1,
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="event",
            name="council",
            field=_key(default=indicators.tenancy.default_council_id),
        ),
        migrations.AlterField(
            model_name="historicalevent",
            name="council",
            field=_key(
                default=indicators.tenancy.default_council_id,
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
            ),
        ),
    ]
