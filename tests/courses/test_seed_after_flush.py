"""The curriculum seed works on a database a transactional test flushed: what Wagtail's data
migrations made (the admin access permission) is gone there, and the seed makes it again.
(Model permissions come back with post_migrate, and after a serialized-rollback test with
tests/conftest.py's reload.)"""

import shutil

import pytest
from django.contrib.auth.models import Permission

from courses import seed
from courses.curriculum import HERE
from tests.accounts.factories import EditorFactory


@pytest.mark.django_db
def test_seed_makes_the_admin_access_permission_a_flush_removed(tmp_path):
    Permission.objects.filter(codename="access_admin").delete()  # as a flush leaves it
    target = tmp_path / "curriculum"
    target.mkdir()
    shutil.copy(HERE / "m01-digital-citizenship.yaml", target / "m01-digital-citizenship.yaml")
    seed.run(directory=target)
    editor = EditorFactory()
    editor.groups.add(*seed.Group.objects.filter(name="Editors"))
    assert editor.has_perm("wagtailadmin.access_admin")
