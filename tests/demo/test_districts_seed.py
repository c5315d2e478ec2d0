"""The demo district: both demo schools, the `district` account, idempotent, no names shown."""

from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from demo.seeds import accounts as account_seed
from demo.seeds import districts as seed
from demo.seeds import schools as school_seed
from districts.models import District, DistrictOfficer, DistrictSchool


def test_seed_makes_one_district_with_both_demo_schools_and_is_idempotent(db):
    account_seed.run()
    school_seed.run()
    seed.run()
    seed.run()
    district = District.objects.get()
    assert set(DistrictSchool.objects.filter(district=district).values_list("school__slug", flat=True)) == {
        "riverside",
        "hillside",
    }
    officer = User.objects.get(username="district")
    assert officer.role == Role.DISTRICT_OFFICER and officer.check_password("netwise-demo")
    assert DistrictOfficer.objects.filter(district=district, user=officer).count() == 1


def test_demo_district_page_names_no_demo_student_or_teacher(client, db):
    account_seed.run()
    school_seed.run()
    seed.run()
    client.force_login(User.objects.get(username="district"))
    text = client.get(reverse("home"), follow=True).content.decode()
    assert "Riverside Middle School" in text and "Hillside Primary School" in text
    people = User.objects.filter(role__in=[Role.STUDENT, Role.TEACHER])
    names = {n for p in people for n in (p.username, p.display_name) if n}
    # The demo usernames "student" and "teacher" are also plain words of the page's text.
    names -= {"student", "teacher"}
    assert len(names) > 60
    assert not sorted(n for n in names if n in text)
