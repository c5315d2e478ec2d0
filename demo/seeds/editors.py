"""Demo editors join the editor groups the curriculum loader sets up (courses.seed): `editor`
writes and submits for moderation (Editors only: no publish right, so no way round the
workflow); `editor2` also moderates, approves and so publishes. Found by name, so reruns add
nothing (and take `editor` out of Moderators, where earlier seeds put it)."""

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
    editors = [g for g in groups if g.name == "Editors"]
    moderators = [g for g in groups if g.name == "Moderators"]
    for user in User.objects.filter(username="editor"):
        user.groups.add(*editors)
        user.groups.remove(*moderators)
    for user in User.objects.filter(username=username):
        user.groups.add(*groups)
    if stdout:
        stdout.write(f"editors: Editors for editor; {', '.join(sorted(g.name for g in groups))} for {username}")
