"""Keep translations honest: publishing an English page marks its translations for review;
publishing a translation clears its mark."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import Locale
from wagtail.signals import page_published

from .i18n import forget_locale_ids, is_source
from .models import TranslationReview

post_save.connect(forget_locale_ids, sender=Locale, dispatch_uid="courses-forget-locale-ids")
post_delete.connect(forget_locale_ids, sender=Locale, dispatch_uid="courses-forget-locale-ids-delete")


@receiver(page_published)
def flag_translations_for_review(sender, instance, revision=None, **kwargs):
    page = instance
    if is_source(page):
        for translation in page.get_translations(inclusive=False).only("pk"):
            TranslationReview.objects.update_or_create(
                page_id=translation.pk,
                defaults={"source_id": page.pk, "source_published_at": timezone.now()},
            )
    else:
        TranslationReview.objects.filter(page_id=page.pk).delete()
