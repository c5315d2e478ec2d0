"""Marking curriculum text shown in another language than the reader's (a page not translated
yet), so screen readers and fonts switch language for it: `<h1{{ page|lang_attr }}>` and
`{% blocktrans with title=lesson|title_in_its_language %}Next: {{ title }}{% endblocktrans %}`.
No query: a page's language comes from its locale_id (courses.i18n.locale_ids)."""

from django import template
from django.utils.html import conditional_escape, format_html

from courses.i18n import language_code, language_fallback

register = template.Library()


@register.filter
def lang_attr(page) -> str:
    """' lang="en"' (the page's language) when the reader reads another language, else ''."""
    if page is None or not language_fallback(page):
        return ""
    return format_html(' lang="{}"', language_code(page))


@register.filter
def title_in_its_language(page) -> str:
    """The page's title, in a <span lang> when the reader reads another language."""
    if not language_fallback(page):
        return conditional_escape(page.title)
    return format_html('<span lang="{}">{}</span>', language_code(page), page.title)
