"""The built-in attitude survey (its questions live in trainees/builtin_questions.py)."""

from django.db import migrations

from trainees.builtin_questions import NAME, create_built_in_set


def create(apps, schema_editor):
    QuestionSet = apps.get_model("trainees", "QuestionSet")
    if QuestionSet.objects.filter(host__isnull=True, name=NAME).exists():
        return
    create_built_in_set(QuestionSet, apps.get_model("trainees", "Question"))


def remove(apps, schema_editor):
    apps.get_model("trainees", "QuestionSet").objects.filter(host__isnull=True, name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("trainees", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
