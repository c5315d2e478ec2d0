"""Which entries each kind of account sees in the main navigation.

Apps add their entries here by URL name; a name that does not resolve (an app not
installed yet) is left out rather than breaking every page.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .roles import Role

# (url name, label, roles that see it; None = everyone signed in)
ENTRIES = [
    ("home", _("Home"), None),
    ("courses:catalogue", _("Courses"), None),
    ("learning:my_learning", _("My learning"), {Role.STUDENT}),
    ("safeguarding:my_reports", _("My reports"), {Role.STUDENT}),
    ("schools:join_class", _("Join a class"), {Role.STUDENT}),
    ("schools:class_list", _("My classes"), {Role.TEACHER}),
    ("safeguarding:case_list", _("Help cases"), {Role.TEACHER, Role.SCHOOL_ADMIN}),
    ("learning:guardian_home", _("My children"), {Role.GUARDIAN}),
    ("schools:link_child", _("Link a child"), {Role.GUARDIAN}),
    ("learning:school_overview", _("School overview"), {Role.SCHOOL_ADMIN}),
    ("schools:school_detail", _("Our school"), {Role.SCHOOL_ADMIN}),
    ("wagtailadmin_home", _("Edit curriculum"), {Role.EDITOR}),
]


def entries_for(user):
    if not user.is_authenticated:
        return []
    items = []
    for name, label, roles in ENTRIES:
        if roles is not None and user.role not in roles:
            continue
        try:
            items.append({"url": reverse(name), "label": label, "name": name})
        except NoReverseMatch:
            continue
    return items
