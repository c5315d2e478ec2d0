"""`{% label _("Goal:") %}{{ value }}`: a translated "Label:" before its value.

English puts a space after the colon; Chinese writes a full-width colon, which carries its own
space, so a space typed in the template after a translated label reads as a stray gap
("目标： …"). The tag adds the space only where the translation does not end in a full-width
mark. Write the value straight after the tag."""

from django import template
from django.utils.html import format_html
from django.utils.translation import pgettext

register = template.Library()

# Full-width marks that end a label and need no space after them.
FULL_WIDTH_ENDINGS = ("：", "？", "。", "，")

STYLES = {
    "strong": "<strong>{}</strong>{}",
    "muted": '<span class="muted">{}</span>{}',
    "plain": "{}{}",
}


def space_after(text: str) -> str:
    """The space a label needs before its value in the language it is written in."""
    return "" if str(text).rstrip().endswith(FULL_WIDTH_ENDINGS) else " "


@register.simple_tag
def label(text, style="strong"):
    """The label (already translated: pass `_("…")`) in `style` ("strong", "muted" or "plain"),
    then the space its language puts before a value."""
    try:
        pattern = STYLES[style]
    except KeyError:
        raise template.TemplateSyntaxError(f"label: unknown style {style!r}; use one of {', '.join(STYLES)}") from None
    return format_html(pattern, text, space_after(text))


@register.filter
def names_list(people) -> str:
    """People's display names as one list in the reader's language ("Ms Chen, Mr Wang";
    Chinese separates names with "、")."""
    return pgettext("between names in a list", ", ").join(person.get_display_name() for person in people)
