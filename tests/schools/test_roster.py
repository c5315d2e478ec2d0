"""Roster CSV import: all or nothing, every bad row listed, awkward files handled."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from schools import roster
from schools.models import Enrollment, StudentProfile


def upload(client, classroom, data: bytes, name="roster.csv"):
    return client.post(
        reverse("schools:roster_import", args=[classroom.pk]),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def enrolled(classroom):
    return Enrollment.objects.filter(classroom=classroom).count()


def test_good_file_creates_accounts_and_shows_a_credentials_sheet(client, world):
    client.force_login(world.teacher)
    data = "name,username,grade,guardian email\n王小明,,7,\nEmma Li,e.li,9,mum@example.com\n"
    resp = upload(client, world.classroom, data.encode())
    assert resp.status_code == 200
    creds = resp.context["credentials"]
    assert [c[0] for c in creds] == ["王小明", "Emma Li"]
    assert creds[1][1] == "e.li"
    assert creds[0][1] == "s.g7.1"
    user = User.objects.get(username="e.li")
    assert user.must_change_password and user.check_password(creds[1][2])
    assert user.student_profile.grade == 9 and not user.student_profile.under_14
    assert enrolled(world.classroom) == 3
    assert creds[1][2] in resp.content.decode()


def test_any_bad_row_imports_nothing_and_lists_every_problem(client, world):
    client.force_login(world.teacher)
    data = (
        "name;username;grade\n"
        "Good Kid;;7\n"
        "=cmd|' /C calc'!A0;;7\n"
        "<script>alert(1)</script>;;7\n"
        ";;7\n"
        "Ann;s.one;7\n"
        "Bo;bo;7\n"
        "Bo2;bo;99\n"
        "@SUM(A1);;7\n"
    )
    resp = upload(client, world.classroom, data.encode())
    assert resp.status_code == 400
    lines = [line for line, _msg in resp.context["errors"]]
    assert lines == [3, 4, 5, 6, 8, 9]
    body = resp.content.decode()
    assert "<script>alert(1)" not in body
    assert "formula" in body and "already taken" in body and "also on line 7" in body
    assert enrolled(world.classroom) == 1
    assert not User.objects.filter(username__in=["bo", "s.good.kid"]).exists()


def test_bom_utf16_and_duplicate_names(client, world):
    client.force_login(world.teacher)
    text = "Name\tGrade\n李雷\t7\n李雷\t7\nWang Yu\t7\nWang Yu\t7\n"
    resp = upload(client, world.classroom, text.encode("utf-16"))
    assert resp.status_code == 200, resp.context.get("errors")
    usernames = [c[1] for c in resp.context["credentials"]]
    assert len(set(usernames)) == 4
    assert "s.wang.yu" in usernames and "s.wang.yu2" in usernames
    client.force_login(world.school_admin)
    resp = upload(client, world.other_classroom, b"\xef\xbb\xbfname,grade\r\nChen Jing,7\r\n")
    assert resp.context["credentials"][0][:2] == ("Chen Jing", "s.chen.jing")


def test_a_name_made_for_one_row_never_takes_a_username_another_row_gives(client, world):
    """ "Wang Yu" would become s.wang.yu, which the next row asks for: that row keeps it and the
    first gets the next free name (it was a server error, nothing said)."""
    client.force_login(world.teacher)
    resp = upload(client, world.classroom, b"name,username,grade\nWang Yu,,7\nWang Yu Two,s.wang.yu,7\n")
    assert resp.status_code == 200, resp.context.get("errors")
    assert [c[:2] for c in resp.context["credentials"]] == [("Wang Yu", "s.wang.yu2"), ("Wang Yu Two", "s.wang.yu")]


def test_oversized_and_binary_files_are_refused(client, world):
    client.force_login(world.teacher)
    big = b"name\n" + b"a" * (2 * 1024 * 1024 + 10)
    resp = upload(client, world.classroom, big)
    assert resp.status_code in (200, 400)
    assert "larger than 2 MB" in resp.content.decode()
    resp = upload(client, world.classroom, b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    assert enrolled(world.classroom) == 1
    resp = upload(client, world.classroom, b"colour,shape\nred,round\n")
    assert "header" in resp.content.decode()


def test_too_many_rows_is_refused(client, world):
    client.force_login(world.teacher)
    data = "name\n" + "".join(f"Kid {i}\n" for i in range(5001))
    resp = upload(client, world.classroom, data.encode())
    assert "more than 5000 rows" in resp.content.decode()
    assert enrolled(world.classroom) == 1


def test_another_schools_class_id_in_the_url_is_404(client, world):
    client.force_login(world.teacher)
    resp = upload(client, world.far_classroom, b"name\nSneaky\n")
    assert resp.status_code == 404
    assert not User.objects.filter(display_name="Sneaky").exists()


def test_5000_rows_import_under_a_fixed_query_budget(client, world, django_assert_max_num_queries):
    client.force_login(world.teacher)
    data = "name,grade\n" + "".join(f"Student {i},8\n" for i in range(5000))
    # bulk_create in batches: SQLite caps a statement at 999 parameters, so it needs about
    # 150 statements for 5,000 rows (PostgreSQL about 30); one query per row would be 20,000+.
    with django_assert_max_num_queries(160) as ctx:
        resp = upload(client, world.classroom, data.encode())
    assert resp.status_code == 200
    assert enrolled(world.classroom) == 5001
    assert StudentProfile.objects.filter(school=world.school).count() == 5002
    print(f"roster 5000 rows: {len(ctx.captured_queries)} queries")


def test_guardian_emails_get_a_link_code_once(client, world, mailoutbox, django_capture_on_commit_callbacks):
    from schools import tasks
    from schools.models import LinkCode

    client.force_login(world.teacher)
    data = "name,grade,guardian email\nAnn Wu,7,ann.mum@example.com\nBo Li,7,\n"
    with django_capture_on_commit_callbacks(execute=True):
        resp = upload(client, world.classroom, data.encode())
    assert resp.status_code == 200
    code = LinkCode.objects.get(invited_email="ann.mum@example.com")
    assert code.student.display_name == "Ann Wu"
    assert len(mailoutbox) == 1 and code.code in mailoutbox[0].body
    tasks.send_link_code_invitations([code.pk])  # a redelivered job sends nothing new
    assert len(mailoutbox) == 1


def test_guardian_invitation_links_to_the_sign_up_page(client, world, mailoutbox, django_capture_on_commit_callbacks):
    """The invitation says "sign up": it gives the page's absolute address, in every part."""
    from schools import tasks  # noqa: F401 - registers the invitation task, as a worker would

    client.force_login(world.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world.classroom, b"name,grade,guardian email\nAnn Wu,7,ann.mum@example.com\n")
    (mail,) = mailoutbox
    url = "http://testserver" + reverse("schools:guardian_signup")
    assert url in mail.body
    for content, _mimetype in getattr(mail, "alternatives", []):
        assert url in content


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_example_on_the_page_is_a_file_the_importer_reads(client, world, language):
    # The example is shown in the teacher's language (Chinese column names, which the importer
    # reads too): copied into a file as it stands, it imports.
    import html

    client.force_login(world.teacher)
    client.cookies["django_language"] = language
    page = client.get(reverse("schools:roster_import", args=[world.classroom.pk])).content.decode()
    example = html.unescape(page.split('data-testid="roster-example">')[1].split("</pre>")[0])
    assert ("姓名" in example) == (language == "zh-hans")
    result = roster.parse(example.encode("utf-8"))
    assert result.ok and [row.name for row in result.rows][0] == "王小明", result.errors
