"""Messages kept as what to say, and said in the reader's language when they read it.

A notice is stored as a message id (the English source text, marked for translation with
`gettext_noop` at the call site) and its parameters, so a person who switches to 简体中文 reads
last week's notices in Chinese too. Parameters are plain values (names, numbers), another
message (`text(...)`), or one value per language (`in_languages(...)`, e.g. a course title
in English and Chinese).

    notify(user=u, kind=..., title=text(gettext_noop("Your report is now: %(status)s"),
                                         status=text(Report.Status.CLOSED.label)))
"""

from datetime import datetime

from django.conf import settings
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, override

MESSAGE, PARAMS, LANGUAGES, MOMENT, JOINED = "m", "p", "l", "d", "j"
KINDS = (MESSAGE, LANGUAGES, MOMENT, JOINED)


def msgid(value) -> str:
    """The English source of a (lazy) translatable string: a choice label, say."""
    if isinstance(value, Promise):
        with override(settings.LANGUAGE_CODE):
            return str(value)
    return str(value)


def text(message, **params) -> dict:
    """A message to be said later; `message` is its English source (or a lazy string)."""
    return {MESSAGE: msgid(message), PARAMS: {key: _param(value) for key, value in params.items()}}


def in_languages(by_language=None, /, **more) -> dict:
    """One value per language code: a mapping {"en": …, "zh-hans": …}, or keywords with
    underscores for hyphens (zh_hans="…")."""
    values = {**(by_language or {}), **{code.replace("_", "-"): value for code, value in more.items()}}
    return {LANGUAGES: {code: str(value) for code, value in values.items() if value}}


def moment(value: datetime) -> dict:
    """A date and time, written as the reader's language writes them, in their time zone."""
    return {MOMENT: value.isoformat()}


def joined(*parts) -> dict:
    """Several messages said one after the other (sentences of one body)."""
    return {JOINED: [_param(part) for part in parts if part]}


def _param(value):
    if is_text(value):
        return value
    if isinstance(value, Promise):
        return text(value)
    if isinstance(value, int | float):
        return value
    return str(value)


def is_text(value) -> bool:
    return isinstance(value, dict) and any(kind in value for kind in KINDS)


def render(value) -> str:
    """`value` said in the active language."""
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    if MOMENT in value:
        when = datetime.fromisoformat(value[MOMENT])
        return formats.date_format(timezone.localtime(when) if timezone.is_aware(when) else when, "DATETIME_FORMAT")
    if JOINED in value:
        return " ".join(render(part) for part in value[JOINED])
    if LANGUAGES in value:
        by_language = value[LANGUAGES]
        language = get_language() or settings.LANGUAGE_CODE
        for code in (language, language.split("-")[0], settings.LANGUAGE_CODE):
            if by_language.get(code):
                return by_language[code]
        return next(iter(by_language.values()), "")
    said = gettext(value.get(MESSAGE, ""))
    params = value.get(PARAMS) or {}
    if not params:
        return said
    try:
        return said % {key: (render(v) if isinstance(v, dict) else v) for key, v in params.items()}
    except (KeyError, TypeError, ValueError):
        # A translation that lost a placeholder must never hide the notice: say it in English.
        return value.get(MESSAGE, "") % {key: (render(v) if isinstance(v, dict) else v) for key, v in params.items()}
