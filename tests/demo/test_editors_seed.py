"""The demo editors join the editor groups the curriculum loader sets up."""

from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import Role
from courses import seed as curriculum
from courses.models import LessonPage
from demo.seeds import accounts as account_seed
from demo.seeds import editors as seed


def test_demo_editors_write_and_only_the_moderator_publishes(db, curriculum_dir):
    """`editor` may add and edit pages and submit them; only the moderator (editor2) publishes.
    A rerun takes `editor` out of Moderators where an older seed put it."""
    account_seed.run()
    curriculum.run(directory=curriculum_dir)
    seed.run()
    editors, moderators = Group.objects.get(name="Editors"), Group.objects.get(name="Moderators")
    editor = User.objects.get(username="editor")
    editor.groups.add(moderators)  # as the old seed left it
    seed.run()
    catalogue = curriculum.ensure_index()
    editor2 = User.objects.get(username="editor2")
    assert editor2.display_name == "Reviewer Gao Fang" and editor2.role == Role.EDITOR
    assert set(editor.groups.all()) == {editors} and set(editor2.groups.all()) == {editors, moderators}
    lesson = LessonPage.objects.live().first()
    for page in (lesson, lesson.get_parent(), catalogue):
        perms = page.permissions_for_user(editor)
        assert editor.has_perm("wagtailadmin.access_admin") and perms.can_edit()
        assert not perms.can_publish() and not perms.can_publish_subpage() and not perms.can_unpublish()
        assert page.permissions_for_user(editor2).can_publish()
    assert lesson.get_workflow() is not None  # an editor's only way to publish is to submit
    # Both keep the question bank (import, export, statistics); only the moderator regrades.
    for user in (editor, editor2):
        user = User.objects.get(pk=user.pk)  # permissions are cached per instance
        assert user.has_perms(["quizzes.add_question", "quizzes.change_question", "quizzes.view_question"])
    assert not User.objects.get(pk=editor.pk).has_perm("quizzes.add_regrade")
    assert User.objects.get(pk=editor2.pk).has_perm("quizzes.add_regrade")
