"""What the schools services share: the user-facing error, first-time passwords, unique codes,
the guess limit on join/link codes, and telling a school's admins or a child's guardians."""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils.translation import gettext as _

from accounts.passwords import generate_password
from accounts.roles import Role
from notifications.services import notify
from notifications.text import text

from ..models import GuardianLink, SchoolMembership, make_code

User = get_user_model()

JOIN_CODE_LENGTH = 6
LINK_CODE_LENGTH = 8
# Wrong join/link codes per hour: GUESS_LIMIT per signed-in account, and a higher ceiling
# per address, so one child cannot lock out a whole school behind one NAT address.
GUESS_LIMIT = 10
GUESS_IP_LIMIT = 100
GUESS_WINDOW = 60 * 60
UNDER_14_MAX_GRADE = 8  # grade 8 and below: mostly under 14 in China's system


class SchoolsError(Exception):
    """A user-facing refusal; str(exc) is a translated message."""


class RateLimited(SchoolsError):
    pass


def first_time_password() -> str:
    """Four words from a list of over 2,000 (accounts/wordlist.txt): more than 44 bits."""
    return generate_password()


def unique_code(model, field, length):
    for _attempt in range(20):
        code = make_code(length)
        if not model.objects.filter(**{field: code}).exists():
            return code
    raise RuntimeError("could not find a free code")


def _guess_keys(user, ip):
    """[(cache key, limit)]: the account's own count and its address's (higher) ceiling."""
    return [
        (f"schools:guess:user:{user.pk}", GUESS_LIMIT),
        (f"schools:guess:ip:{ip or '-'}", GUESS_IP_LIMIT),
    ]


def check_guess_rate(user, ip):
    """Refuse once the account or its address has had too many wrong codes this hour."""
    if any(cache.get(key, 0) >= limit for key, limit in _guess_keys(user, ip)):
        raise RateLimited(_("Too many wrong codes. Please wait an hour and try again, or ask the school."))


def count_wrong_guess(user, ip):
    for key, _limit in _guess_keys(user, ip):
        if cache.add(key, 1, GUESS_WINDOW):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, GUESS_WINDOW)


def school_admins(school):
    """Active school admin accounts of `school`."""
    return User.objects.filter(
        role=Role.SCHOOL_ADMIN,
        is_active=True,
        school_memberships__school=school,
        school_memberships__role=SchoolMembership.Role.SCHOOL_ADMIN,
        school_memberships__is_active=True,
    ).distinct()


def linked_guardians(student):
    """Active guardian accounts actively linked to `student` (an account or its id)."""
    return User.objects.filter(
        role=Role.GUARDIAN,
        is_active=True,
        children_links__student=student,
        children_links__state=GuardianLink.State.ACTIVE,
    ).distinct()


def tell(users, *, title, body="", url=""):
    """An in-app notice per person, said in their language whenever they read it (`title` and
    `body` are lazy strings: notifications.text keeps their English source)."""
    for user in users:
        notify(user=user, kind="general", title=text(title), body=text(body) if body else "", url=url)
