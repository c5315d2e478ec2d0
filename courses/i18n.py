"""One curriculum in two languages: helpers that map between a page and its translations.

Progress, completions, attempts, assignments and certificates are recorded against the
SOURCE page (the default locale, English); the learner reads whichever version is in their
language. See docs/curriculum-i18n.md.

Below the page models (courses/models.py builds on it), so it names no page class; reads that
need one (show_in_active_language) live in courses/selectors.py.
"""

from django.conf import settings
from django.http import Http404
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

_LOCALE_IDS: dict[str, int] = {}


def locale_ids() -> dict[str, int]:
    """{language code: Locale id}, cached per process (two rows that hardly ever change;
    courses/receivers.py clears it when a Locale is saved or deleted), so telling a page's
    language costs no query on every page view."""
    if not _LOCALE_IDS:
        _LOCALE_IDS.update(Locale.objects.values_list("language_code", "pk"))
    return _LOCALE_IDS


def forget_locale_ids(**kwargs) -> None:
    _LOCALE_IDS.clear()


def is_source(page) -> bool:
    source = locale_ids().get(settings.LANGUAGE_CODE)
    if source is None:  # no locales yet (a flushed database): fall back to the row
        return page.locale.language_code == settings.LANGUAGE_CODE
    return page.locale_id == source


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
    """Each page replaced by its live, public translation in `locale` when there is one (one
    query): a view-restricted translation is not shown in a public page's place."""
    pages = list(pages)
    if not pages or locale is None:
        return pages
    model = type(pages[0])
    translations = model.objects.filter(translation_key__in={p.translation_key for p in pages}, locale=locale)
    found = {p.translation_key: p for p in translations.live().public().select_related(*related)}
    return [found.get(p.translation_key, p) for p in pages]


def active_locale_id() -> int | None:
    """The Locale id of the reader's (active) language, None when it has none (no query)."""
    try:
        wanted = get_supported_content_language_variant(get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return None
    return locale_ids().get(wanted)


def language_code(page) -> str:
    """The language `page` is written in, from its locale_id (no query)."""
    for code, pk in locale_ids().items():
        if pk == page.locale_id:
            return code
    return page.locale.language_code


def language_fallback(page) -> bool:
    """True when `page` is served in another language than the learner's (no translation):
    the page template then shows a one-line notice."""
    wanted_id = active_locale_id()
    return wanted_id is not None and page.locale_id != wanted_id


class FallbackRouteMixin:
    """Routing that falls back to the other language: a URL under the Chinese catalogue
    whose page has no Chinese version yet serves the English one (and the other way round),
    so the same /learn/ URLs work in both languages."""

    def route(self, request, path_components):
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


def titles_by_language(page) -> dict[str, str]:
    """{language code: title} of `page` and its live translations (one query), for messages
    said later in the reader's language (notifications.text.in_languages)."""
    titles = dict(
        Page.objects.filter(translation_key=page.translation_key, live=True).values_list(
            "locale__language_code", "title"
        )
    )
    titles.setdefault(settings.LANGUAGE_CODE, page.title)
    title_zh = getattr(getattr(page, "specific", page), "title_zh", "")
    if title_zh:
        titles.setdefault("zh-hans", title_zh)
    return titles
