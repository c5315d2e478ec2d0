import pytest

from tests.quizzes.factories import make_quiz


@pytest.fixture
def quiz(db):
    return make_quiz()


@pytest.fixture
def editor_client(client, editor):
    """A client signed in as a question editor (the Wagtail admin and the bank's permissions)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name="Question editors")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="quizzes", codename__endswith="_question"),
    )
    editor.groups.add(group)
    client.force_login(editor)
    return client


@pytest.fixture
def moderator_client(editor_client, editor):
    """A question editor who may also regrade (as the Moderators group may)."""
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(content_type__app_label="quizzes", codename="add_regrade"))
    return editor_client
