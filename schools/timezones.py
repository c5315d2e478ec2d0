"""Which time zone a school, and a guardian, lives in.

A school stores its IANA zone; a stored name this machine's tzdata does not know counts as
the site's zone (settings.TIME_ZONE). A guardian belongs to the zone of the school of their
earliest active link (a family with children in two zones hears from NetWise once, on one
clock); a guardian whose children have no school is in the site's zone.
"""

import logging

from django.conf import settings
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from .models import GuardianLink, School, is_known_timezone

logger = logging.getLogger("netwise.schools.timezones")


def site_zone() -> str:
    return settings.TIME_ZONE


def zone_name(name: str | None) -> str:
    """`name` if it is a known zone, else the site's zone (unknown legacy values, None)."""
    return name if name and is_known_timezone(name) else site_zone()


def school_zones() -> set[str]:
    """Every zone a guardian can be in: the schools' (known) zones and the site's."""
    zones = {site_zone()}
    for name in _stored_zones():
        if is_known_timezone(name):
            zones.add(name)
        else:
            logger.error("school time zone %r is not a known zone; its families use %s", name, site_zone())
    return zones


def with_guardian_zone(guardians, *, field: str = "guardian_tz"):
    """Annotate a queryset of guardian users with `field`: the stored zone of their earliest
    active link's school, or the site's zone (pass it through zone_name() before use)."""
    first_school_zone = (
        GuardianLink.objects.filter(
            guardian_id=OuterRef("pk"),
            state=GuardianLink.State.ACTIVE,
            student__student_profile__isnull=False,
        )
        .order_by("created_at", "pk")
        .values("student__student_profile__school__timezone")[:1]
    )
    return guardians.annotate(**{field: Coalesce(Subquery(first_school_zone), Value(site_zone()))})


def in_zone(guardians, tz: str, *, field: str = "guardian_tz"):
    """Narrow guardians annotated by with_guardian_zone() to zone `tz`; the site's zone also
    takes in schools whose stored zone is unknown."""
    tz = zone_name(tz)
    names = [tz]
    if tz == site_zone():
        names += [n for n in _stored_zones() if not is_known_timezone(n)]
    return guardians.filter(**{f"{field}__in": names})


def _stored_zones():
    return School.objects.order_by().values_list("timezone", flat=True).distinct()
