"""The zh-hans content locale beside Wagtail's default (en), for the Chinese curriculum."""

from django.db import migrations


def create_locale(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Locale.objects.get_or_create(language_code="zh-hans")


def remove_locale(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    locale = Locale.objects.filter(language_code="zh-hans").first()
    if locale is not None and not Page.objects.filter(locale=locale).exists():
        locale.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_curriculum_hash"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_locale, remove_locale)]
