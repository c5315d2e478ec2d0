"""Per-class item statistics now live in learning (learning.ClassItemStatistic): its 0002
copied the rows first; this drops them and the bare classroom_id column."""

from django.db import migrations


def drop_class_rows(apps, schema_editor):
    ItemStatistic = apps.get_model("quizzes", "ItemStatistic")
    ItemStatistic.objects.filter(classroom_id__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0004_question_chinese_text"),
        ("learning", "0003_class_item_statistics"),
    ]

    operations = [
        migrations.RunPython(drop_class_rows, migrations.RunPython.noop),
        migrations.RemoveField(model_name="itemstatistic", name="classroom_id"),
    ]
