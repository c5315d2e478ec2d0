from accounts.models import User
from demo.seeds import accounts as account_seed
from demo.seeds import schools as seed
from schools import access
from schools.models import Classroom, GuardianLink, LinkCode, StudentProfile


def test_seed_builds_the_demo_world_and_is_idempotent(db):
    account_seed.run()
    seed.run()
    counts = (User.objects.count(), Classroom.objects.count(), GuardianLink.objects.count())
    seed.run()
    assert (User.objects.count(), Classroom.objects.count(), GuardianLink.objects.count()) == counts

    teacher = User.objects.get(username="teacher")
    teacher2 = User.objects.get(username="teacher2")
    student = User.objects.get(username="student")
    student2 = User.objects.get(username="student2")
    assert access.classrooms_taught_by(teacher).count() == 2
    assert access.classrooms_taught_by(teacher2).count() == 1
    assert access.students_visible_to(teacher).filter(pk=student.pk).exists()
    assert not access.students_visible_to(teacher).filter(pk=student2.pk).exists()
    assert access.students_visible_to(teacher2).filter(pk=student2.pk).exists()
    riverside = StudentProfile.objects.filter(school__slug="riverside").count()
    assert 55 <= riverside <= 70
    guardian = User.objects.get(username="guardian")
    assert access.students_visible_to(guardian).count() == 2
    assert set(access.students_visible_to(User.objects.get(username="guardian2"))) == {student2}
    assert GuardianLink.objects.filter(state=GuardianLink.State.PENDING).count() == 1
    assert LinkCode.objects.filter(used_at__isnull=True).count() == 1
    pending = StudentProfile.objects.get(user__username="s.wu.hao")
    assert pending.under_14 and pending.consent_given_at is None
    admin2 = User.objects.get(username="schooladmin2")
    visible = access.students_visible_to(admin2)
    assert visible.exists() and not visible.filter(pk=student.pk).exists()
    assert access.classrooms_visible_to(User.objects.get(username="teacher3")).count() == 1


def test_demo_accounts_open_their_schools_pages(client, db):
    from django.urls import reverse

    account_seed.run()
    seed.run()
    pages = {
        "teacher": ["schools:class_list"],
        "teacher2": ["schools:class_list"],
        "schooladmin": ["schools:school_detail", "schools:audit_log", "schools:class_list"],
        "schooladmin2": ["schools:school_detail"],
        "guardian": ["schools:link_child"],
        "student": ["schools:join_class"],
    }
    for username, names in pages.items():
        client.force_login(User.objects.get(username=username))
        for name in names:
            assert client.get(reverse(name)).status_code == 200, (username, name)
    client.force_login(User.objects.get(username="teacher"))
    classroom = Classroom.objects.get(name="Class 7A")
    page = client.get(reverse("schools:class_detail", args=[classroom.pk])).content.decode()
    assert "Li Wei" in page and "刘洋" in page
