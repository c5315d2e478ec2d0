import pytest

from accounts.models import User
from demo.seeds import accounts as account_seed
from demo.seeds import safeguarding as seed
from safeguarding import access
from safeguarding.models import HelpContact, Report
from schools.models import SchoolMembership, StudentProfile
from tests.schools.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_seed_designates_teacher_only_and_adds_two_cases_idempotently():
    account_seed.run()
    school = SchoolFactory(name="Riverside Middle School", slug="riverside")
    users = {u.username: u for u in User.objects.all()}
    for name in ("teacher", "teacher2"):
        SchoolMembership.objects.create(user=users[name], school=school, role=SchoolMembership.Role.TEACHER)
    SchoolMembership.objects.create(user=users["schooladmin"], school=school, role=SchoolMembership.Role.SCHOOL_ADMIN)
    StudentProfile.objects.create(user=users["student"], school=school, grade=7)

    seed.run()
    seed.run()

    assert access.is_designated_staff(users["teacher"])
    assert not access.is_designated_staff(users["teacher2"])
    assert not access.is_designated_staff(users["schooladmin"])
    reports = Report.objects.filter(student=users["student"])
    assert sorted(reports.values_list("status", flat=True)) == ["closed", "in_progress"]
    assert set(HelpContact.objects.filter(school=school).values_list("key", flat=True)) == {
        "110",
        "12355",
        "12377",
        "96110",
    }
    assert access.reports_visible_to(users["teacher"]).count() == 2
    assert access.reports_visible_to(users["student2"]).count() == 0


def test_seed_without_school_does_nothing():
    account_seed.run()
    seed.run()
    assert not Report.objects.exists()
