"""One curriculum in two languages: helpers that map between a page and its translations.

Progress, completions, attempts, assignments and certificates are recorded against the
SOURCE page (the default locale, English); the learner reads whichever version is in their
language. See docs/curriculum-i18n.md.
"""

from django.conf import settings
from wagtail.models import Page


def is_source(page) -> bool:
    return page.locale.language_code == settings.LANGUAGE_CODE


def source_page(page):
    """The English page `page` translates, as the same class; `page` itself when it is
    English or has no English version."""
    if page is None or is_source(page):
        return page
    source = (
        type(page)
        .objects.filter(translation_key=page.translation_key, locale__language_code=settings.LANGUAGE_CODE)
        .first()
    )
    return source or page


def source_ids(pages) -> dict[int, int]:
    """{page id: its source page id} in one query (pages need translation_key loaded)."""
    pages = list(pages)
    if not pages:
        return {}
    by_key = dict(
        Page.objects.filter(
            translation_key__in={p.translation_key for p in pages}, locale__language_code=settings.LANGUAGE_CODE
        ).values_list("translation_key", "pk")
    )
    return {p.pk: by_key.get(p.translation_key, p.pk) for p in pages}


def in_active_language(pages, locale, *, related=()) -> list:
    """Each page replaced by its live translation in `locale` when there is one (one query)."""
    pages = list(pages)
    if not pages or locale is None:
        return pages
    model = type(pages[0])
    translations = model.objects.filter(translation_key__in={p.translation_key for p in pages}, locale=locale)
    found = {p.translation_key: p for p in translations.live().select_related(*related)}
    return [found.get(p.translation_key, p) for p in pages]


def language_fallback(page) -> bool:
    """True when `page` is served in another language than the learner's (no translation):
    the page template then shows a one-line notice."""
    from django.utils.translation import get_language
    from wagtail.coreutils import get_supported_content_language_variant

    try:
        wanted = get_supported_content_language_variant(get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return False
    return page.locale.language_code != wanted


class FallbackRouteMixin:
    """Routing that falls back to the other language: a URL under the Chinese catalogue
    whose page has no Chinese version yet serves the English one (and the other way round),
    so the same /learn/ URLs work in both languages."""

    def route(self, request, path_components):
        from django.http import Http404

        try:
            return super().route(request, path_components)
        except Http404:
            if not path_components:
                raise
            for other in self.get_translations().live():
                child = other.get_children().live().filter(slug=path_components[0]).first()
                if child is not None:
                    return child.specific.route(request, path_components[1:])
            raise
