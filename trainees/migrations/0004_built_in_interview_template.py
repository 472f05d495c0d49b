"""The built-in interview template (its questions live in trainees/builtin_interview.py)."""

from django.db import migrations

from trainees.builtin_interview import NAME, create_built_in_template


def create(apps, schema_editor):
    InterviewTemplate = apps.get_model("trainees", "InterviewTemplate")
    if InterviewTemplate.objects.filter(host__isnull=True, name=NAME).exists():
        return
    create_built_in_template(
        InterviewTemplate, apps.get_model("trainees", "InterviewTemplateQuestion")
    )


def remove(apps, schema_editor):
    apps.get_model("trainees", "InterviewTemplate").objects.filter(
        host__isnull=True, name=NAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("trainees", "0003_interviews")]

    operations = [migrations.RunPython(create, remove)]
