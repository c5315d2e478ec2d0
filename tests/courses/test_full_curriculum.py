"""The tests that need the whole curriculum (11 courses, 45 lessons, both languages).

Seeding all of it costs about half a minute of CPU, so this module seeds it once: inside a
transaction that is rolled back after the module's last test. Each test still runs in its own
savepoint inside that transaction (pytest-django's `db`), so what one test changes the next
never sees, and each asserts exactly what it did when it seeded the curriculum itself
(they lived in test_seed.py, test_covers.py and test_teacher_guides.py)."""

from io import StringIO

import pytest
from django.urls import reverse
from wagtail.images import get_image_model

from courses import seed
from courses.curriculum import load_all
from courses.models import CoursePage, LessonPage
from tests.accounts.factories import StudentFactory, TeacherFactory
from tests.courses.test_seed import counts
from tests.courses.test_teacher_guides import guide_file, guide_url, text_of
from tests.shared_db import module_transaction

Image = get_image_model()

# Under pytest-xdist (--dist loadgroup) this module's tests share one worker, so one seed.
pytestmark = pytest.mark.xdist_group("full-curriculum")


@pytest.fixture(scope="module")
def full_seed(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed.run() of the whole curriculum, once for the module; returns what it printed."""
    with module_transaction(django_db_blocker, tmp_path_factory.mktemp("full-curriculum-media")) as writing:
        out = StringIO()
        with writing():
            seed.run(stdout=out)
        yield out.getvalue()


def test_full_seed_is_complete_published_and_idempotent(full_seed, db):
    files = load_all()
    first = counts()
    assert first["courses"] == len(files) == 11
    assert first["lessons"] == sum(len(f["lessons"]) for f in files) >= 44
    # Every course and lesson also has its Simplified Chinese translation.
    assert (first["zh_courses"], first["zh_lessons"]) == (first["courses"], first["lessons"])
    assert "11 courses" in full_seed

    pages = list(CoursePage.objects.all()) + list(LessonPage.objects.all())
    assert all(p.live and not p.has_unpublished_changes for p in pages)
    assert all(p.latest_revision_id and p.live_revision_id == p.latest_revision_id for p in pages)

    out = StringIO()
    seed.run(stdout=out)
    assert counts() == first
    assert "(0 pages created or updated)" in out.getvalue()


def test_full_seed_gives_all_eleven_courses_a_cover_once(full_seed, db):
    courses = list(CoursePage.objects.filter(locale__language_code="en").select_related("cover_image"))
    assert len(courses) == 11
    assert all(c.cover_image and c.cover_alt.strip() for c in courses)
    assert len({c.cover_image_id for c in courses}) == 11
    # The Chinese translations show the same pictures (drawn without text), with Chinese alt text.
    translated = CoursePage.objects.filter(locale__language_code="zh-hans")
    assert {c.cover_image_id for c in translated} == {c.cover_image_id for c in courses}
    images = {i.pk: i.file_hash for i in Image.objects.all()}
    assert len(images) == 11
    seed.run()
    assert {i.pk: i.file_hash for i in Image.objects.all()} == images


def test_every_letter_in_both_languages_and_every_guide_for_a_teacher(client, full_seed, db):
    """The full curriculum: 11 family letters × 2 languages, 45 guides × 2 languages."""
    teacher, student = TeacherFactory(), StudentFactory()
    checked_letters = checked_guides = 0
    for data in load_all():
        guide = guide_file(data["_path"].rsplit("/", 1)[-1])
        course = CoursePage.objects.get(slug=data["slug"], locale__language_code="en")
        client.force_login(teacher)
        for code in ("en", "zh-hans"):
            letter = guide["family_letter"][code]
            response = client.get(reverse("courses:family_letter", args=[course.pk]) + f"?lang={code}&print=1")
            assert response.status_code == 200, (data["slug"], code)
            page = text_of(response)
            assert f'lang="{code}"' in page
            assert letter["greeting"] in page and letter["closing"] in page
            assert letter["learned"].strip() in page and letter["try_together"].strip() in page
            assert all(prompt in page for prompt in letter["prompts"])
            assert letter["help"].strip() in page
            checked_letters += 1
        for item in guide["lessons"]:
            lesson = LessonPage.objects.get(slug=item["slug"], locale__language_code="en")
            for code in ("en", "zh-hans"):
                client.force_login(teacher)
                response = client.get(guide_url(lesson, lang=code))
                assert response.status_code == 200, (item["slug"], code)
                page = text_of(response)
                assert item[code]["essential_question"] in page, (item["slug"], code)
                assert item[code]["discussion"][2] in page and item[code]["safeguarding"].strip() in page
                checked_guides += 1
            client.force_login(student)
            assert client.get(guide_url(lesson)).status_code == 404
    assert (checked_letters, checked_guides) == (22, 90)
