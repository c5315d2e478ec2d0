"""Healthy use: after a stretch of continuous use, suggest a short break, kindly.

The session remembers when the current stretch began and when the student was last
active; a gap longer than HEALTHY_USE_IDLE_MINUTES starts a new stretch. Once per
stretch the next page shows a gentle banner (works without JavaScript); break.js asks
/help/break/status/ and opens a dialog if the student stays on one page. No streaks,
no counters, no guilt: the student can always carry on.
"""

import random
import time
from functools import lru_cache
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib import messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.roles import Role

from .access import student_schools
from .models import SchoolBreakSetting

START, LAST, NUDGED, AFTER = "nw_use_start", "nw_use_last", "nw_break_nudged", "nw_break_after"
# Requests that are not "using NetWise": assets, the break page itself, the JS poll.
SKIP_PREFIXES = ("/static/", "/media/", "/help/break/", "/jsi18n/", "/healthz", "/admin/", "/django-admin/")

FALLBACK_TIPS = [
    "Look at something about 6 metres away for 20 seconds.",
    "Stand up, stretch your arms high and roll your shoulders five times.",
    "Drink a glass of water before you carry on.",
]


@lru_cache(maxsize=4)
def break_tips(language: str = "") -> tuple[str, ...]:
    """Tips from the screen-time module in `language` (its translation sits in the curriculum's
    folder of that language; read as data, as safeguarding does not import courses), the
    English ones where there is no translation."""
    default = settings.BASE_DIR / "courses" / "curriculum" / "m08-healthy-use.yaml"
    source = Path(getattr(settings, "HEALTHY_USE_TIPS_FILE", default))
    if language and language != settings.LANGUAGE_CODE:
        translated = _read_tips(source.parent / language / source.name)
        if translated:
            return translated
    return _read_tips(source) or tuple(FALLBACK_TIPS)


def _read_tips(path: Path) -> tuple[str, ...]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return ()
    return tuple(str(t).strip() for t in data.get("break_tips") or [] if str(t).strip())


def random_tip() -> str:
    """A tip in the active language."""
    return random.choice(break_tips((get_language() or settings.LANGUAGE_CODE).lower()))


def default_minutes() -> int:
    return int(getattr(settings, "HEALTHY_USE_BREAK_MINUTES", 30))


def idle_seconds() -> int:
    return int(getattr(settings, "HEALTHY_USE_IDLE_MINUTES", 10)) * 60


def break_minutes_for(user) -> int:
    """The school's own interval if it set one, else the site default; 0 means off."""
    setting = SchoolBreakSetting.objects.filter(school__in=student_schools(user)).first()
    return setting.break_after_minutes if setting else default_minutes()


def applies_to(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.role == Role.STUDENT)


def touch(request, now=None) -> None:
    """Record activity; start a new stretch after an idle gap."""
    session = request.session
    now = int(now if now is not None else time.time())
    start, last = session.get(START), session.get(LAST)
    if not start or not last or now - last > idle_seconds():
        session[START] = now
        session[LAST] = now
        session[AFTER] = break_minutes_for(request.user)
        session.pop(NUDGED, None)
    elif now - last >= 60:
        # Write the session at most once a minute, not on every request.
        session[LAST] = now


def seconds_left(request, now=None) -> int | None:
    """Seconds until a break is due in this stretch (0 = due now); None when switched off."""
    session = request.session
    minutes = session.get(AFTER, default_minutes())
    start = session.get(START)
    if not minutes or not start:
        return None if not minutes else minutes * 60
    now = int(now if now is not None else time.time())
    return max(0, start + minutes * 60 - now)


def maybe_nudge(request, now=None) -> bool:
    """Add the break banner once per stretch, when the stretch is long enough."""
    left = seconds_left(request, now)
    start = request.session.get(START)
    if left is None or left > 0 or request.session.get(NUDGED) == start:
        return False
    request.session[NUDGED] = start
    minutes = request.session.get(AFTER, default_minutes())
    messages.info(
        request,
        format_html(
            '{} {} <a href="{}">{}</a>',
            _("You have been on NetWise for about %(n)s minutes. A short break helps you remember more.")
            % {"n": minutes},
            _("Tip: %(tip)s") % {"tip": random_tip()},
            reverse("safeguarding:break"),
            _("Take a break"),
        ),
        extra_tags="break-banner",
    )
    return True


def restart(request, now=None) -> None:
    """The student came back from a break: a new stretch starts now."""
    now = int(now if now is not None else time.time())
    request.session[START] = now
    request.session[LAST] = now
    request.session.pop(NUDGED, None)


class HealthyUseMiddleware:
    """Tracks the stretch for students and shows the banner on the next page after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if applies_to(request) and not request.path.startswith(SKIP_PREFIXES):
            touch(request)
            if request.method == "GET":
                maybe_nudge(request)
        return self.get_response(request)
