"""Keep translations honest: publishing an English page marks its translations for review;
publishing a translation clears its mark."""

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import page_published

from .models import TranslationReview


@receiver(page_published)
def flag_translations_for_review(sender, instance, revision=None, **kwargs):
    page = instance
    if page.locale.language_code == settings.LANGUAGE_CODE:
        for translation in page.get_translations(inclusive=False).only("pk"):
            TranslationReview.objects.update_or_create(
                page_id=translation.pk,
                defaults={"source_id": page.pk, "source_published_at": timezone.now()},
            )
    else:
        TranslationReview.objects.filter(page_id=page.pk).delete()
