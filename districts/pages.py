"""The district page's figures as HTML, rendered once per state of a district's figures
(districts.selectors.report_version) and language, then served from the cache: a visit
between two rebuilds costs neither the figure tables nor the rendering of 50 schools'
tables. The worker warms the cache after each rebuild, in every language, so the first
officer after the hourly refresh does not wait for the rendering either.

The cached parts hold figures only: the officer's own export list and the form's CSRF token
are rendered around them on every visit (districts/report.html).
"""

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from . import selectors
from .models import District, DistrictSchool

PARTS = ("lead", "figures")


def figures(district: District, *, request=None) -> dict:
    """{"lead": html, "body": html} for the active language."""
    key = selectors.report_cache_key(district)
    parts = cache.get(key)
    if parts is None:
        data = selectors.district_report(district=district)
        parts = {
            part: render_to_string(f"districts/includes/report_{part}.html", data, request=request) for part in PARTS
        }
        cache.set(key, parts, selectors.REPORT_CACHE_SECONDS)
    # Our own templates, rendered with autoescaping from suppressed figures and names.
    return {"lead": mark_safe(parts["lead"]), "body": mark_safe(parts["figures"])}  # noqa: S308


def warm(*, school_ids=None) -> int:
    """Render the figures of every district holding one of `school_ids` (all when None) in
    every language; returns how many pages were rendered or found warm."""
    districts = District.objects.all()
    if school_ids is not None:
        districts = districts.filter(
            pk__in=DistrictSchool.objects.filter(school_id__in=school_ids).values("district_id")
        )
    n = 0
    for district in districts.order_by("pk"):
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                figures(district)
            n += 1
    return n
