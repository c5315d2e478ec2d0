"""Roster import: an account per row of a checked roster (schools/roster.py parses it),
enrolled in the class, with a first-time password and, when the row gives one, a link code
e-mailed to the guardian."""

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.roles import Role
from jobs.services import enqueue

from .. import audit
from ..models import Enrollment, LinkCode, StudentProfile, make_code
from ..roster import RosterResult
from .common import LINK_CODE_LENGTH, UNDER_14_MAX_GRADE, SchoolsError, first_time_password

User = get_user_model()


def _username_base(name: str, grade) -> str:
    ascii_part = slugify(name).replace("-", ".")
    ascii_part = re.sub(r"[^a-z0-9.]", "", ascii_part)[:24].strip(".")
    if ascii_part:
        parts = ascii_part.split(".")
        # "Wang Yu" -> s.wang.yu ; keep at most three parts.
        return "s." + ".".join(parts[:3])
    return f"s.g{grade or 0}"


def _assign_usernames(rows) -> list[str]:
    """Usernames for every row: the given one, or one made from the name, made unique
    against the database and the file's own in a fixed number of queries."""
    wanted = [r.username or _username_base(r.name, r.grade) for r in rows]
    bases = set(w for r, w in zip(rows, wanted) if not r.username)
    taken = set()
    if bases:
        # One query per distinct prefix would grow; a regex-free prefix scan per base is
        # replaced by one query on all names starting with "s.".
        taken = set(User.objects.filter(username__startswith="s.").values_list("username", flat=True))
    given = [r.username for r in rows if r.username]
    if given:
        taken |= set(User.objects.filter(username__in=given).values_list("username", flat=True))
    # A name made for one row must not be a username another row of the file gives ("Wang Yu"
    # beside a row that asks for s.wang.yu): that row keeps its own, this one gets s.wang.yu2.
    taken |= set(given)
    result = []
    counters = {}
    for row, base in zip(rows, wanted):
        if row.username:
            result.append(row.username)
            continue
        fallback = base == f"s.g{row.grade or 0}"
        candidate = None if fallback or base in taken else base
        n = counters.get(base, 0 if fallback else 1)
        while candidate is None or candidate in taken:
            n += 1
            candidate = f"{base}.{n}" if fallback else f"{base}{n}"
        counters[base] = n
        taken.add(candidate)
        result.append(candidate)
    return result


def check_roster_usernames(result: RosterResult) -> RosterResult:
    """Add an error for every given username that already belongs to someone."""
    given = {r.username: r.line for r in result.rows if r.username}
    if given:
        for username in User.objects.filter(username__in=list(given)).values_list("username", flat=True):
            result.errors.append((given[username], _("the username %(u)s is already taken") % {"u": username}))
        if result.errors:
            result.errors.sort()
            bad = {line for line, _msg in result.errors}
            result.rows = [r for r in result.rows if r.line not in bad]
    return result


@transaction.atomic
def import_roster(*, actor, classroom, result: RosterResult, request=None):
    """Create an account per row and enrol it: all or nothing, a fixed number of queries
    per batch whatever the size. Returns [(name, username, password)]."""
    if result.errors or not result.rows:
        raise SchoolsError(_("The roster has errors; nothing was imported."))
    rows = result.rows
    usernames = _assign_usernames(rows)
    credentials = []
    users = []
    for row, username in zip(rows, usernames):
        password = first_time_password()
        credentials.append((row.name, username, password))
        users.append(
            User(
                username=username,
                display_name=row.name,
                role=Role.STUDENT,
                # The default hasher, like every account: no cheaper hash to time apart.
                password=make_password(password),
                must_change_password=True,
            )
        )
    User.objects.bulk_create(users, batch_size=500)
    if users and users[0].pk is None:  # backends without RETURNING
        ids = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
        for user in users:
            user.pk = user.id = ids[user.username]
    school = classroom.school
    StudentProfile.objects.bulk_create(
        [
            StudentProfile(
                user=u,
                school=school,
                grade=row.grade or classroom.grade,
                under_14=(row.grade or classroom.grade or 99) <= UNDER_14_MAX_GRADE,
            )
            for u, row in zip(users, rows)
        ],
        batch_size=1000,
    )
    Enrollment.objects.bulk_create([Enrollment(student=u, classroom=classroom) for u in users], batch_size=1000)
    invites = [
        LinkCode(
            student=u,
            code=make_code(LINK_CODE_LENGTH),
            created_by=actor,
            expires_at=timezone.now() + timedelta(days=LinkCode.LIFETIME_DAYS),
            invited_email=row.guardian_email,
        )
        for u, row in zip(users, rows)
        if row.guardian_email
    ]
    if invites:
        LinkCode.objects.bulk_create(invites, batch_size=1000)
        ids = list(
            LinkCode.objects.filter(student__in=[i.student for i in invites], invited_email__gt="").values_list(
                "pk", flat=True
            )
        )
        # The outbox keeps the request even when the broker is down.
        enqueue("schools.send_link_code_invitations", ids)
    audit.record(
        actor=actor,
        action="roster.imported",
        target=classroom,
        request=request,
        count=len(users),
        guardian_invitations=len(invites),
    )
    return credentials
