"""Invitations say whether their email left: queued (being sent), sent, or failed.

Invitations that exist already were handed to the mail server before this state existed,
and the worker then raised on failure without recording it: they are marked sent (the
state the pages showed for them until now). A new invitation starts queued."""

from django.db import migrations, models

CHOICES = [("queued", "Being sent"), ("sent", "Sent"), ("failed", "Sending failed")]


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0009_roster_read_by_worker"),
    ]

    operations = [
        # The existing rows take "sent" as the column is added; then new rows default to queued.
        migrations.AddField(
            model_name="invitation",
            name="delivery",
            field=models.CharField(
                choices=CHOICES, default="sent", max_length=10, verbose_name="delivery"
            ),
        ),
        migrations.AlterField(
            model_name="invitation",
            name="delivery",
            field=models.CharField(
                choices=CHOICES, default="queued", max_length=10, verbose_name="delivery"
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="delivery_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="delivery changed at"),
        ),
        migrations.AddField(
            model_name="invitation",
            name="delivery_error",
            field=models.TextField(blank=True, verbose_name="delivery error"),
        ),
    ]
