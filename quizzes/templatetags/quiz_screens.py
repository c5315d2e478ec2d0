"""`{% scenario_screen question %}`: a red-flag question's scenario drawn in a phone frame
(courses/illustrations.py), in the reader's language; empty when the question has no frame."""

from django import template
from django.utils.translation import gettext as _

from courses import illustrations

from ..models import ScenarioFrame

register = template.Library()


def frame_alt(kind: str, title: str) -> str:
    """The drawing's accessible name: what kind of screen it is (its items are in the transcript)."""
    if kind == ScenarioFrame.CHAT:
        return _("A chat on a phone screen: %(title)s") % {"title": title} if title else _("A chat on a phone screen")
    if kind == ScenarioFrame.POST:
        return _("A social media post on a phone screen")
    if kind == ScenarioFrame.NOTIFICATION:
        return _("Notifications on a phone's lock screen")
    return _("An app asking for permissions on a phone screen")


@register.simple_tag
def scenario_screen(question) -> str:
    kind = getattr(question, "scenario_frame", ScenarioFrame.NONE)
    text = question.display_scenario if kind != ScenarioFrame.NONE else ""
    if question.qtype != question.Type.REDFLAGS or not text.strip():
        return ""
    title, items = illustrations.scenario_items(kind, text)
    if kind == ScenarioFrame.POST and not title:
        title = _("Shared post")
    return illustrations.render_screen(kind, title, items, alt=frame_alt(kind, title))
