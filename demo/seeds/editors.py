"""Demo editors: `editor` (made by the accounts seed) and `editor2` join the editor groups the
curriculum loader sets up (courses.seed), so both may use the Wagtail admin, edit, submit,
approve and publish. Found by name, so reruns add nothing."""

from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import Role
from courses.seed import EDITOR_GROUPS

from .accounts import ensure_user

SECOND_EDITOR = ("editor2", "Reviewer Gao Fang")


def run(stdout=None):
    username, display_name = SECOND_EDITOR
    ensure_user(username, display_name=display_name, role=Role.EDITOR, is_staff=True)
    groups = list(Group.objects.filter(name__in=EDITOR_GROUPS))
    for user in User.objects.filter(username__in=["editor", username]):
        user.groups.add(*groups)
    if stdout:
        stdout.write(f"editors: {', '.join(sorted(g.name for g in groups))} for editor and {username}")
