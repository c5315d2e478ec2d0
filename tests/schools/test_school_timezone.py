"""School.timezone must be a zone name the time zone database knows (digests run by it)."""

import pytest
from django.core.exceptions import ValidationError

from schools.models import School
from tests.accounts.factories import TeacherFactory
from tests.schools.factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["Asia/Shanghai", "Europe/London", "America/Argentina/ComodRivadavia", "UTC"])
def test_known_zones_are_accepted(name):
    school = School(name="A", slug="a", timezone=name)
    school.full_clean()
    school.save()
    assert School.objects.get(slug="a").timezone == name


@pytest.mark.parametrize("name", ["Europe/Atlantis", "asia/shanghai", "GMT+8", "", "../etc/passwd"])
def test_unknown_zones_are_refused_by_validation_and_by_save(name):
    school = School(name="B", slug="b", timezone=name)
    with pytest.raises(ValidationError) as excinfo:
        school.full_clean()
    assert "timezone" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        school.save()
    assert not School.objects.filter(slug="b").exists()


def test_saving_other_fields_only_does_not_revalidate_the_zone():
    school = SchoolFactory()
    School.objects.filter(pk=school.pk).update(timezone="Europe/Atlantis")  # legacy value
    school.refresh_from_db()
    school.name = "Renamed"
    school.save(update_fields=["name"])
    with pytest.raises(ValidationError):
        school.save()


def test_the_admin_form_shows_a_clear_message(client):
    client.force_login(TeacherFactory(is_staff=True, is_superuser=True))
    response = client.post(
        "/django-admin/schools/school/add/",
        {"name": "Harbour", "slug": "harbour", "timezone": "Europe/Atlantis"},
    )
    assert response.status_code == 200
    assert "is not a time zone name we know" in response.content.decode()
    assert not School.objects.filter(slug="harbour").exists()
    response = client.post(
        "/django-admin/schools/school/add/",
        {"name": "Harbour", "slug": "harbour", "timezone": "Europe/London"},
    )
    assert response.status_code == 302
    assert School.objects.get(slug="harbour").timezone == "Europe/London"
