"""The demo editors join the editor groups the curriculum loader sets up."""

from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import Role
from courses import seed as curriculum
from demo.seeds import accounts as account_seed
from demo.seeds import editors as seed


def test_demo_editors_can_use_the_admin_and_moderate(db, curriculum_dir):
    account_seed.run()
    curriculum.run(directory=curriculum_dir)
    seed.run()
    seed.run()
    catalogue = curriculum.ensure_index()
    editors, moderators = Group.objects.get(name="Editors"), Group.objects.get(name="Moderators")
    editor2 = User.objects.get(username="editor2")
    assert editor2.display_name == "Reviewer Gao Fang" and editor2.role == Role.EDITOR
    for user in (User.objects.get(username="editor"), editor2):
        assert set(user.groups.all()) == {editors, moderators}
        assert user.has_perm("wagtailadmin.access_admin")
        perms = catalogue.permissions_for_user(user)
        assert perms.can_add_subpage() and perms.can_publish()
