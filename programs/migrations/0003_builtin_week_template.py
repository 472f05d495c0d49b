"""The built-in one-week IT-venture training template (the week of the design notes)."""

from django.db import migrations

NAME = "ITベンチャー研修（1週間）"
ITEMS = [
    # day, start, end, kind, title, place
    (0, "09:30", "10:00", "orientation", "オリエンテーション・自己紹介", "本社 会議室"),
    (0, "10:00", "12:00", "orientation", "受入企業のサービス理解", "本社 会議室"),
    (0, "13:00", "17:00", "hands_on", "サービスの体験（ハンズオン・シミュレーション）", "本社"),
    (0, "17:00", "17:30", "reflection", "1日目の振り返り", "本社"),
    (1, "07:30", "11:30", "trip", "移動（出張：箕輪町へ）", ""),
    (1, "13:00", "15:00", "seminar", "地域チーム初心者ワーカー向け説明会", "箕輪町"),
    (1, "15:30", "17:30", "work", "ユーザーアンケート・ヒアリング", "箕輪町"),
    (2, "09:00", "10:00", "trip", "移動（箕輪町→松本市）", ""),
    (2, "13:30", "16:00", "seminar", "地元企業向けセミナー・ワークショップ（商工会議所青年部）",
     "松本市"),
    (2, "16:30", "20:00", "trip", "移動（帰社）", ""),
    (3, "09:30", "12:00", "work", "通常業務", "本社"),
    (3, "13:00", "15:00", "reflection", "出張の振り返り", "本社 会議室"),
    (3, "15:00", "17:30", "work", "通常業務", "本社"),
    (4, "09:30", "12:00", "writing", "記事の執筆", "本社"),
    (4, "13:00", "14:30", "interview", "研修後インタビュー（Q&A・記事化）", "本社 会議室"),
    (4, "15:00", "17:00", "work", "通常業務・研修のまとめ", "本社"),
]


PLACEHOLDER_KINDS = ("trip", "seminar")


def create(apps, schema_editor):
    WeekTemplate = apps.get_model("programs", "WeekTemplate")
    TemplateActivity = apps.get_model("programs", "TemplateActivity")
    if WeekTemplate.objects.filter(host__isnull=True, name=NAME).exists():
        return
    template = WeekTemplate.objects.create(
        host=None, name=NAME, days=5,
        description="オリエンテーション、箕輪町・松本市への出張とセミナー、振り返り、"
        "記事執筆と研修後インタビューの5日間。",
    )
    # Run again by tests and seed_demo with today's models: the trip's and the seminars'
    # items are then placeholders (予定枠), as migration 0013 makes them.
    marks = any(f.name == "placeholder" for f in TemplateActivity._meta.get_fields())
    TemplateActivity.objects.bulk_create(
        TemplateActivity(template=template, day_index=d, start_time=s, end_time=e, kind=k,
                         title=t, place=p,
                         **({"placeholder": k in PLACEHOLDER_KINDS} if marks else {}))
        for d, s, e, k, t, p in ITEMS
    )


def remove(apps, schema_editor):
    apps.get_model("programs", "WeekTemplate").objects.filter(host__isnull=True, name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_programs_and_week")]
    operations = [migrations.RunPython(create, remove)]
