"""The district view: own districts only, figures suppressed, never a child or a teacher."""

import io

import pytest
from django.urls import reverse

from districts import aggregates, exports, selectors
from districts.models import DistrictExport, DistrictOfficer, HelpFigure, ModuleFigure, SchoolSummary
from schools.audit import action_label
from schools.models import AuditEvent


def _names(w):
    found = set()
    for p in w.people:
        found |= {p.username, p.display_name}
    return {n for n in found if n}


def _assert_no_person(text, w):
    leaked = sorted(n for n in _names(w) if n in text)
    assert not leaked, f"names on a district page or file: {leaked}"


# --- figures -------------------------------------------------------------------------


def test_refresh_counts_per_school_grade_and_module(district_world):
    w = district_world
    rows = {(r.school_id, r.grade): r for r in ModuleFigure.objects.filter(course=w.course)}
    big, small, south = rows[(w.school.pk, 7)], rows[(w.school.pk, 8)], rows[(w.other_school.pk, 5)]
    assert (big.learners, big.completed, big.reached, big.scored) == (6, 4, 4, 4)
    assert (small.learners, small.completed, small.reached) == (3, 3, 0)
    assert (south.learners, south.completed, south.reached, south.classes_assigned) == (8, 4, 4, 1)
    assert round(big.score_sum / big.scored) == 90
    assert SchoolSummary.objects.get(school=w.school).learners == 9
    assert HelpFigure.objects.filter(school=w.other_school).order_by("-term_start").first().reports == 6


def test_refresh_is_repeatable(district_world):
    before = ModuleFigure.objects.count()
    aggregates.refresh()
    assert ModuleFigure.objects.count() == before


def test_schools_side_by_side_with_completion_score_and_art13_index(district_world):
    w = district_world
    report = selectors.district_report(district=w.district)
    north, south = report["schools"]
    assert (north["school"], south["school"]) == ("North Middle School", "South Primary School")
    assert str(north["completion"]) == "78%"  # 7 of 9
    assert str(south["completion"]) == "50%"  # 4 of 8
    assert str(south["score"]) == "70%"
    codes = [d["code"] for d in report["dimensions"]]
    assert str(north["dimensions"][codes.index("M")]) == "44%"  # 4 of 9 reached, module serves M
    assert str(north["dimensions"][codes.index("L")]) == "—"  # no module serving L assigned


def test_a_class_of_3_is_hidden_and_so_is_a_complement(district_world):
    report = selectors.district_report(district=district_world.district)
    grades = {g["grade"]: g for g in report["grades"]}
    assert str(grades[8]["completion"]) == "hidden"
    # Grade 7 (6 learners) is the next smallest: hidden so 8 = total - 5 - 7 cannot be worked out.
    assert str(grades[7]["completion"]) == "hidden"
    assert str(grades[5]["completion"]) == "50%"


def test_help_is_counted_per_school_and_term_and_suppressed(district_world):
    report = selectors.district_report(district=district_world.district)
    north, south = report["help"]
    assert str(north["cells"][0]) == "hidden"  # 2 reports
    # With a total row shown, South's 6 would give North's away: hidden too.
    assert str(south["cells"][0]) == "hidden"
    assert str(report["help_total"][0]) == "8"


def test_modules_assigned_least_come_first(district_world):
    report = selectors.district_report(district=district_world.district)
    assert report["least_assigned"][0]["module"].endswith("Passwords")
    assert report["least_assigned"][0]["classes"] == 0


def test_a_translated_module_is_one_module_named_in_the_readers_language(district_world):
    """A module's Chinese page is its translation, not a second module that no class was ever
    given: each module is listed once, with the figures kept on its English page, under its
    translated title for a reader in Chinese."""
    from django.utils import translation
    from wagtail.models import Locale

    zh_locale = Locale.objects.get_or_create(language_code="zh-hans")[0]
    for course, title in ((district_world.course, "隐私基础"), (district_world.unassigned, "密码")):
        zh = course.copy_for_translation(zh_locale, copy_parents=True)
        zh.title = title
        zh.save_revision().publish()
    with translation.override("zh-hans"):
        report = selectors.district_report(district=district_world.district)
    assert [r["module"] for r in report["modules"]] == ["隐私基础", "密码"]
    assert [(m["module"], m["classes"]) for m in report["least_assigned"]] == [("密码", 0), ("隐私基础", 3)]
    with translation.override("en"):
        report = selectors.district_report(district=district_world.district)
    assert [r["module"] for r in report["modules"]] == ["Privacy basics", "Passwords"]


# --- pages ---------------------------------------------------------------------------


def test_officer_sees_their_district_and_never_a_name(client, district_world):
    w = district_world
    client.force_login(w.officer)
    pages = [reverse("home"), reverse("districts:overview"), reverse("districts:report", args=[w.district.pk])]
    for url in pages:
        resp = client.get(url, follow=True)
        assert resp.status_code == 200
        text = resp.content.decode()
        assert "North Middle School" in text and "South Primary School" in text
        assert "fewer than 5" in text
        assert "<svg" in text
        _assert_no_person(text, w)
    assert "Art. 13" in text


def test_another_district_is_404(client, district_world):
    w = district_world
    client.force_login(w.officer)
    assert client.get(reverse("districts:report", args=[w.other_district.pk])).status_code == 404
    assert (
        client.post(reverse("districts:export_request", args=[w.other_district.pk]), {"format": "xlsx"}).status_code
        == 404
    )


def test_other_roles_get_404(client, district_world):
    w = district_world
    for user in (w.school_admin, w.people[0], w.people[1]):
        client.force_login(user)
        assert client.get(reverse("districts:overview")).status_code == 404
        assert client.get(reverse("districts:report", args=[w.district.pk])).status_code == 404


def test_officer_holding_no_district_sees_an_empty_page(client, db):
    from tests.districts.factories import make_officer

    client.force_login(make_officer())
    resp = client.get(reverse("districts:overview"))
    assert resp.status_code == 200 and resp.context["districts"] == []


def test_school_admin_sees_which_district_the_school_reports_to(client, district_world):
    client.force_login(district_world.school_admin)
    text = client.get(reverse("schools:school_detail")).content.decode()
    assert "Lakeside District Bureau" in text


def test_the_officer_menu_has_the_district_entry(client, district_world):
    client.force_login(district_world.officer)
    text = client.get(reverse("districts:overview")).content.decode()
    assert f'href="{reverse("districts:overview")}"' in text


# --- exports -------------------------------------------------------------------------


def _request(client, w, fmt, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("districts:export_request", args=[w.district.pk]), {"format": fmt})
    assert resp.status_code == 302
    export = DistrictExport.objects.get(requested_by=w.officer, format=fmt)
    assert export.status == DistrictExport.Status.DONE, export.error
    return resp["Location"], export


def test_xlsx_export_is_suppressed_audited_and_names_no_one(client, district_world, django_capture_on_commit_callbacks):
    import openpyxl

    w = district_world
    client.force_login(w.officer)
    status_url, export = _request(client, w, "xlsx", django_capture_on_commit_callbacks)
    status = client.get(status_url)
    assert status.status_code == 200
    _assert_no_person(status.content.decode(), w)
    assert client.get(status_url + "?format=json").json()["progress"] == 100
    resp = client.get(reverse("districts:export_download", args=[export.token]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content)), read_only=True)
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
    text = "\n".join(cells)
    assert "North Middle School" in text and "hidden" in cells
    _assert_no_person(text, w)
    actions = set(AuditEvent.objects.filter(actor=w.officer).values_list("action", flat=True))
    assert {"district.export_requested", "district.export_downloaded"} <= actions
    # Each school of the district sees both in its own audit log (its figures are in the
    # export); a school of another district sees neither.
    for school in (w.school, w.other_school):
        filed = AuditEvent.objects.filter(actor=w.officer, school=school).values_list("action", flat=True)
        assert sorted(filed) == ["district.export_downloaded", "district.export_requested"], school
    assert not AuditEvent.objects.filter(actor=w.officer, school=w.far_school).exists()
    assert not AuditEvent.objects.filter(actor=w.officer, school=None).exists()
    assert action_label("district.export_requested") == "District figures export requested"


def test_pdf_export_is_built_from_the_suppressed_sections(client, district_world, django_capture_on_commit_callbacks):
    w = district_world
    client.force_login(w.officer)
    _url, export = _request(client, w, "pdf", django_capture_on_commit_callbacks)
    with export.file.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"
    report = selectors.district_report(district=w.district)
    text = "\n".join(
        "\n".join([title, *header, *[v for row in rows for v in row]])
        for title, header, rows in exports.sections(report)
    )
    assert "hidden" in text
    _assert_no_person(text, w)


def test_someone_elses_export_is_404(client, district_world, django_capture_on_commit_callbacks):
    w = district_world
    client.force_login(w.officer)
    _url, export = _request(client, w, "xlsx", django_capture_on_commit_callbacks)
    client.force_login(w.other_officer)
    assert client.get(reverse("districts:export_status", args=[export.token])).status_code == 404
    assert client.get(reverse("districts:export_download", args=[export.token])).status_code == 404


def test_an_officer_removed_from_the_district_cannot_download_its_export(
    client, district_world, django_capture_on_commit_callbacks
):
    w = district_world
    client.force_login(w.officer)
    _url, export = _request(client, w, "xlsx", django_capture_on_commit_callbacks)
    assert export.is_downloadable
    DistrictOfficer.objects.filter(user=w.officer, district=w.district).delete()
    assert client.get(reverse("districts:export_download", args=[export.token])).status_code == 404
    assert client.get(reverse("districts:export_status", args=[export.token])).status_code == 404
    assert not AuditEvent.objects.filter(action="district.export_downloaded").exists()


def test_export_is_made_in_the_officers_language(client, district_world, django_capture_on_commit_callbacks):
    w = district_world
    w.officer.language = "zh-hans"  # the language saved on the account (accounts.middleware)
    w.officer.save(update_fields=["language"])
    client.force_login(w.officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("districts:export_request", args=[w.district.pk]),
            {"format": "xlsx"},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert DistrictExport.objects.get(requested_by=w.officer).language.startswith("zh")


# --- cost ----------------------------------------------------------------------------


def _big_district(n_schools):
    """`n_schools` schools with figure rows bulk-made (the pages read nothing else)."""
    from datetime import date, timedelta

    from districts.models import WeekFigure
    from tests.districts.factories import make_district, make_officer
    from tests.learning.factories import make_course
    from tests.schools.factories import SchoolFactory

    courses = [make_course(lessons=0)[0] for _ in range(3)]
    schools = [SchoolFactory() for _ in range(n_schools)]
    officer = make_officer()
    district = make_district(*schools, officer=officer)
    monday = date(2026, 11, 30)
    SchoolSummary.objects.bulk_create([SchoolSummary(school=s, learners=2000, classes=50) for s in schools])
    ModuleFigure.objects.bulk_create(
        [
            ModuleFigure(
                school=s,
                grade=g,
                course=c,
                classes_assigned=8,
                learners=300,
                completed=200,
                reached=150,
                scored=250,
                score_sum=250 * 71.5,
            )
            for s in schools
            for g in range(1, 7)
            for c in courses
        ]
    )
    WeekFigure.objects.bulk_create(
        [
            WeekFigure(school=s, week=monday - timedelta(weeks=i), active_learners=100, completions=400)
            for s in schools
            for i in range(8)
        ]
    )
    HelpFigure.objects.bulk_create([HelpFigure(school=s, term_start=date(2026, 9, 1), reports=7) for s in schools])
    return district, officer


@pytest.mark.django_db
def test_overview_queries_do_not_grow_with_schools(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (5, 50):
        district, officer = _big_district(n)
        client.force_login(officer)
        url = reverse("districts:report", args=[district.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 12


def test_assigning_a_module_refreshes_the_schools_figures(district_world, django_capture_on_commit_callbacks):
    """A bulk change need not wait for the hourly beat: a class of 3 shows up suppressed."""
    from learning.assignments import services
    from tests.schools.factories import ClassroomFactory, make_student

    w = district_world
    classroom = ClassroomFactory(school=w.school, grade=9, teachers=[w.people[0]], name="D9")
    w.people += [make_student(classroom, grade=9, display_name=f"Rowan Tiny {i}") for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        services.create_assignment(teacher=w.people[0], classroom=classroom, item=w.course.page_ptr)
    assert ModuleFigure.objects.get(school=w.school, grade=9).learners == 3
    grades = {g["grade"]: g for g in selectors.district_report(district=w.district)["grades"]}
    assert str(grades[9]["completion"]) == "hidden"


def test_each_school_by_grade_hides_the_class_of_3_and_its_complement(district_world):
    rows = selectors.district_report(district=district_world.district)["school_grades"]
    cells = {(r["school"], r["grade"]): str(r["completion"]) for r in rows}
    assert cells[("North Middle School", 8)] == "hidden"
    assert cells[("North Middle School", 7)] == "hidden"  # North's total minus grade 7 would give grade 8
    assert cells[("South Primary School", 5)] == "50%"


def test_the_page_and_the_pdf_work_in_chinese(client, district_world, django_capture_on_commit_callbacks):
    w = district_world
    w.officer.language = "zh-hans"
    w.officer.save(update_fields=["language"])
    client.force_login(w.officer)
    resp = client.get(reverse("districts:report", args=[w.district.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert resp.status_code == 200 and 'lang="zh-hans"' in resp.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("districts:export_request", args=[w.district.pk]), {"format": "pdf"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    export = DistrictExport.objects.get(requested_by=w.officer)
    assert export.status == DistrictExport.Status.DONE and export.language.startswith("zh")


def test_the_hourly_task_deletes_expired_files(client, district_world, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from districts import tasks

    w = district_world
    client.force_login(w.officer)
    _url, export = _request(client, w, "xlsx", django_capture_on_commit_callbacks)
    DistrictExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    tasks.refresh_figures()
    export.refresh_from_db()
    assert not export.file
    assert client.get(reverse("districts:export_download", args=[export.token])).status_code == 404


# --- the page's cache ------------------------------------------------------------------


def _report_html(client, w, **headers):
    resp = client.get(reverse("districts:report", args=[w.district.pk]), **headers)
    assert resp.status_code == 200
    return resp.content.decode()


def _south_completion(html):
    """South's completion cell in the schools table (the row after its <th>)."""
    import re

    row = re.search(r'<th scope="row">South Primary School</th>(.*?)</tr>', html, re.S).group(1)
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[3].strip()


def test_the_cached_page_follows_a_refresh_of_the_figures(client, district_world):
    """A rebuild of a school's figures bumps its version, so the next visit shows the rebuilt
    figures, never the cached ones (South's class of 8: 4 of 8 completed = 50 %)."""
    w = district_world
    client.force_login(w.officer)
    assert _south_completion(_report_html(client, w)) == "50%"
    ModuleFigure.objects.filter(school=w.other_school).update(completed=8)
    assert _south_completion(_report_html(client, w)) == "50%"  # cached until a rebuild
    version = SchoolSummary.objects.get(school=w.other_school).version
    aggregates.refresh_school(w.other_school)  # counts the real records again
    assert SchoolSummary.objects.get(school=w.other_school).version == version + 1
    ModuleFigure.objects.filter(school=w.other_school).update(completed=8)
    SchoolSummary.objects.filter(school=w.other_school).update(version=version + 2)
    assert _south_completion(_report_html(client, w)) == "100%"


def test_the_cached_figures_never_hold_a_csrf_token_or_an_officers_files(client, district_world):
    from django.core.cache import cache

    w = district_world
    client.force_login(w.officer)
    _report_html(client, w)
    cached = cache.get(selectors.report_cache_key(w.district))
    assert cached and "csrfmiddlewaretoken" not in str(cached) and "export" not in cached["figures"].lower()


def test_the_cached_page_follows_the_districts_schools(client, district_world):
    from tests.schools.factories import SchoolFactory

    w = district_world
    client.force_login(w.officer)
    assert "West Lake School" not in _report_html(client, w)
    school = SchoolFactory(name="West Lake School")
    w.district.memberships.create(school=school)
    assert "West Lake School" in _report_html(client, w)
    w.district.memberships.filter(school=w.other_school).delete()
    assert "South Primary School" not in _report_html(client, w)


def test_the_cache_keeps_each_language_apart(client, district_world):
    w = district_world
    client.force_login(w.officer)
    assert "Art. 13" in _report_html(client, w)
    w.officer.language = "zh-hans"
    w.officer.save(update_fields=["language"])
    html = _report_html(client, w, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "第十三条" in html and "Schools side by side" not in html


def test_a_cached_visit_costs_fewer_queries_than_the_first(client, district_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = district_world
    client.force_login(w.officer)
    with CaptureQueriesContext(connection) as first:
        _report_html(client, w)
    with CaptureQueriesContext(connection) as second:
        _report_html(client, w)
    tables = " ".join(q["sql"] for q in second.captured_queries)
    assert "districts_modulefigure" not in tables and "districts_weekfigure" not in tables
    assert len(second.captured_queries) < len(first.captured_queries)


def test_the_worker_warms_the_page_in_every_language_after_a_rebuild(district_world):
    from django.core.cache import cache
    from django.utils import translation

    from districts import tasks

    w = district_world
    tasks.refresh_figures(school_ids=[w.other_school.pk])
    for code in ("en", "zh-hans"):
        with translation.override(code):
            parts = cache.get(selectors.report_cache_key(w.district))
        assert parts and "South Primary School" in parts["figures"]
    with translation.override("zh-hans"):
        assert "学校" in cache.get(selectors.report_cache_key(w.district))["figures"]
