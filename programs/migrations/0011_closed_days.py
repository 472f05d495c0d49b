"""A host's closed days (12/29〜1/3): days its programs do not work, as national holidays."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0010_invitation_delivery'),
    ]

    operations = [
        migrations.CreateModel(
            name='ClosedDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('start_date', models.DateField(verbose_name='first closed day')),
                ('end_date', models.DateField(verbose_name='last closed day')),
                ('name', models.CharField(max_length=60, verbose_name='name')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('host', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='closed_days', to='programs.hostcompany', verbose_name='host')),
            ],
            options={
                'verbose_name': 'closed days',
                'verbose_name_plural': 'closed days',
                'ordering': ['host_id', 'start_date', 'pk'],
                'indexes': [models.Index(fields=['host', 'start_date'], name='programs_cl_host_id_e022f7_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('end_date__gte', models.F('start_date'))), name='closed_day_ends_after_start')],
            },
        ),
    ]
