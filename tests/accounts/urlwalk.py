"""Every URL pattern of the project, with a sample path that matches it (for tests that
must hold for every URL, like the forced password change)."""

import re

from django.urls import URLResolver, get_resolver
from django.utils.regex_helper import normalize

SAMPLES = ["1", "a", "ab12", "00000000-0000-0000-0000-000000000001", "a/b", "1/2", "auth", "a/"]


def _patterns(patterns, prefix):
    for p in patterns:
        regex = prefix + p.pattern.regex.pattern.removeprefix("^")
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, regex.removesuffix(r"\Z").removesuffix("$"))
        else:
            yield p, regex


def _sample_path(regex):
    full = re.compile("^" + regex)
    for fmt, params in normalize(regex):
        for value in SAMPLES:
            path = fmt % {name: value for name in params}
            if full.match(path):
                return "/" + path
    return None


def every_url():
    """[(pattern description, sample path or None)] for every pattern in the resolver."""
    return [
        (f"{p.name or p.lookup_str} {regex}", _sample_path(regex))
        for p, regex in _patterns(get_resolver().url_patterns, "")
    ]
