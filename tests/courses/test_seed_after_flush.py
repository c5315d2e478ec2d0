"""The curriculum seed works on a database a transactional test flushed: what Wagtail's data
migrations made (the admin access permission) is gone there, and the seed makes it again."""

import shutil

import pytest
from django.contrib.auth.models import Permission

from courses import seed
from courses.curriculum import HERE
from tests.accounts.factories import EditorFactory


@pytest.mark.django_db
def test_seed_makes_the_permissions_a_flush_removed(tmp_path):
    Permission.objects.all().delete()  # as a flush without post_migrate leaves it
    target = tmp_path / "curriculum"
    target.mkdir()
    shutil.copy(HERE / "m01-digital-citizenship.yaml", target / "m01-digital-citizenship.yaml")
    seed.run(directory=target)
    editor = EditorFactory()
    editor.groups.add(*seed.Group.objects.filter(name="Editors"))
    assert editor.has_perm("wagtailadmin.access_admin")
