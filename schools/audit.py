"""The audit log: `record()` one event per sensitive action (exports, deletions, role
changes, link and consent events, staff opening a student's record)."""

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.client_ip import client_ip as accounts_client_ip

from .models import AuditEvent, Classroom, School


def client_ip(request):
    """The caller's address: REMOTE_ADDR, or behind NETWISE_TRUSTED_PROXY_COUNT proxies
    the address they forwarded (accounts/client_ip.py; axes uses the same function)."""
    return accounts_client_ip(request)


def _school_for(target):
    if target is None:
        return None
    if isinstance(target, School):
        return target
    if isinstance(target, Classroom):
        return target.school
    school = getattr(target, "school", None)
    if isinstance(school, School):
        return school
    if isinstance(target, get_user_model()):
        profile = getattr(target, "student_profile", None)
        try:
            if profile is not None:
                return profile.school
        except Exception:  # noqa: BLE001 - a missing profile is simply no school
            return None
        membership = target.school_memberships.select_related("school").first()
        return membership.school if membership else None
    return None


def pseudonym(user_pk) -> str:
    """A short stable stand-in for a student's name ("Student #a3f9c1"), the same for every
    record about them, that cannot be turned back into the account without the site key."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"student:{user_pk}".encode(), hashlib.sha256).hexdigest()
    return f"Student #{digest[:6]}"


# --- what each action is called -----------------------------------------------------
# The audit log shows an action by its name in the reader's language; apps name their own
# (schools never imports them), and an action nobody named shows as its code.

_labels: dict = {}


def name_actions(labels: dict) -> None:
    """{action code: lazy translated name}, for the audit log page and its filter."""
    _labels.update(labels)


def action_label(action: str) -> str:
    return str(_labels.get(action, action))


name_actions(
    {
        "class.archived": _("Class archived"),
        "class.created": _("Class created"),
        "class.join_code_off": _("Class code turned off"),
        "class.join_code_on": _("Class code turned on"),
        "class.join_code_rotated": _("New class code"),
        "class.joined": _("Student joined a class"),
        "class.renamed": _("Class renamed"),
        "consent.given": _("Guardian consent given"),
        "guardian.linked": _("Guardian linked to a child"),
        "guardian.unlinked": _("Guardian unlinked from a child"),
        "link_code.issued": _("Guardian link code issued"),
        "roster.imported": _("Student list imported"),
        "student.deleted": _("Student account deleted"),
        "student.deletion_objected": _("Deletion request objected to"),
        "student.deletion_requested": _("Deletion requested by a guardian"),
        "student.exported": _("Student's data exported"),
        "student.password_reset": _("Student's password reset"),
        "student.viewed": _("Student's record opened"),
        "teacher.deactivated": _("Teacher deactivated"),
        "teacher.invited": _("Teacher invited"),
    }
)


# --- restricted actions -----------------------------------------------------------
# An app whose events only some staff may read (safeguarding: its designated staff)
# registers its action prefix here, so schools never imports it. Everyone else sees that an
# event of that kind happened, and when: never who, about what, or which action.


class RestrictedActions:
    def __init__(self, prefix, *, can_read, summary):
        self.prefix = prefix
        self.can_read = can_read  # can_read(user, school) -> bool
        self.summary = summary


_restricted: dict[str, RestrictedActions] = {}


def restrict(prefix, *, can_read, summary):
    _restricted[prefix] = RestrictedActions(prefix, can_read=can_read, summary=summary)


def restriction_for(action: str):
    for prefix, rule in _restricted.items():
        if action.startswith(prefix):
            return rule
    return None


class MaskedEvent:
    """What a reader without the right sees of a restricted event: the time and the kind."""

    masked = True
    actor_label = ""
    target_label = ""
    target_id = ""
    ip_address = None

    def __init__(self, event, rule):
        self.pk = event.pk
        self.created_at = event.created_at
        self.action = self.label = rule.summary
        self.school_id = event.school_id


def events_for_reader(events, *, user, school):
    """The audit rows `user` may read in full; restricted ones they may not are masked."""
    allowed = {prefix: rule.can_read(user, school) for prefix, rule in _restricted.items()}
    rows = []
    for event in events:
        rule = restriction_for(event.action)
        if rule and not allowed[rule.prefix]:
            rows.append(MaskedEvent(event, rule))
        else:
            event.label = action_label(event.action)
            rows.append(event)
    return rows


def action_choices_for_reader(actions, *, user, school):
    """(value, label) for the action filter: restricted action names collapse into their
    prefix for readers who may not see them."""
    choices, seen = [], set()
    for action in sorted(actions):
        rule = restriction_for(action)
        if rule and not rule.can_read(user, school):
            value, label = rule.prefix, str(rule.summary)
        else:
            value, label = action, action_label(action)
        if value not in seen:
            seen.add(value)
            choices.append((value, label))
    return choices


def filter_by_action(events, action, *, user, school):
    """Filter on one action, or on a whole restricted prefix (the only choice a reader
    without the right has: filtering by a hidden action name would tell which rows it is)."""
    if not action:
        return events
    rule = restriction_for(action)
    if rule and not rule.can_read(user, school):
        return events.filter(action__startswith=rule.prefix)
    if action in _restricted:
        return events.filter(action__startswith=action)
    return events.filter(action=action)


def record(*, actor, action, target=None, request=None, school=None, **details):
    """Append one audit event. `details` must be JSON-serialisable.

    `school` is found from `target` when not given, so school admins see the event.
    """
    if school is None:
        school = _school_for(target)
    actor_ok = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if actor_ok else None,
        actor_label=actor.get_username() if actor_ok else "",
        action=action,
        school=school,
        target_type=target._meta.model_name if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        details=details,
        ip_address=client_ip(request),
    )
