"""The test suite's own isolation: after a serialized-rollback test (the PostgreSQL race tests)
the next transactional test finds the rows migrations made, as after any other test."""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from wagtail.models import Page

from tests.conftest import _reload_migrated_rows
from tests.shared_db import POSTGRES_RACE

pytestmark = POSTGRES_RACE


def test_rows_migrations_made_come_back_after_a_flush_without_post_migrate(request):
    # What the teardown of a serialized-rollback test does to the database:
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    assert not Permission.objects.exists() and not Page.objects.exists()

    _reload_migrated_rows(request.config)

    assert Permission.objects.filter(codename="add_page", content_type__app_label="wagtailcore").exists()
    assert Permission.objects.filter(codename="access_admin").exists()  # made by a data migration
    assert Page.objects.filter(depth=1).exists()  # Wagtail's root page, also a data migration's
    # The sequences were moved past the reloaded ids: new rows do not collide with them.
    new_type = ContentType.objects.create(app_label="netwise_tests", model="probe")
    Permission.objects.create(codename="probe", name="Probe", content_type=new_type)
