"""Issue 17: the teacher guide and the family letter as PDFs made on the server, CJK-safe; a
guide fills at most two A4 pages and a letter one, counted in the file each download produces."""

import pytest
from django.urls import reverse
from django.utils import translation

from courses import documents, seed
from courses.curriculum import load_all
from courses.models import CoursePage, LessonPage
from printing.pdf import page_count
from tests.accounts.factories import EditorFactory, GuardianFactory, SchoolAdminFactory, StudentFactory, TeacherFactory


def guide_pdf_url(lesson, code="en"):
    return reverse("courses:teacher_guide_pdf", args=[lesson.pk]) + f"?lang={code}"


def letter_pdf_url(course, code="en"):
    return reverse("courses:family_letter_pdf", args=[course.pk]) + f"?lang={code}"


@pytest.fixture
def lesson(lessons):
    return lessons[0]


@pytest.mark.parametrize("make", [TeacherFactory, SchoolAdminFactory, EditorFactory])
def test_staff_download_the_guide_as_a_pdf(client, lesson, make):
    client.force_login(make())
    response = client.get(guide_pdf_url(lesson))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="netwise-guide-{lesson.slug}-en.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert 1 <= page_count(response.content) <= documents.GUIDE_MAX_PAGES


@pytest.mark.parametrize("make", [StudentFactory, GuardianFactory])
def test_students_and_guardians_get_404_for_the_pdfs(client, lesson, course, make):
    client.force_login(make())
    assert client.get(guide_pdf_url(lesson)).status_code == 404
    assert client.get(letter_pdf_url(course)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, lesson, course):
    assert client.get(guide_pdf_url(lesson)).status_code == 302
    assert client.get(letter_pdf_url(course)).status_code == 302


def test_guide_and_letter_pages_link_to_their_pdf(client, lesson, course):
    client.force_login(TeacherFactory())
    page = client.get(reverse("courses:teacher_guide", args=[lesson.pk])).content.decode()
    assert guide_pdf_url(lesson) in page
    page = client.get(reverse("courses:family_letter", args=[course.pk])).content.decode()
    assert letter_pdf_url(course) in page


def test_the_pdf_guide_holds_what_the_guide_page_shows(lesson):
    guide = lesson.guide
    with translation.override("en"):
        doc = documents.guide_document(lesson=lesson, course=lesson.course, code="en", size=10)
    text = "\n".join(doc.written)
    assert lesson.title in doc.written and f"Objective: {lesson.objective}" in doc.written
    assert "M · moral awareness (网络道德意识)" in text
    assert guide["essential_question"] in doc.written
    assert all(step["activity"].strip() in doc.written for step in guide["plan"])
    assert all(q in doc.written for q in list(guide["exit_ticket"]) + list(guide["discussion"]))
    assert guide["safeguarding"].strip() in doc.written
    assert "The law and facts behind it" in doc.written
    assert lesson.teacher_notes.split()[0] in text


def test_the_pdf_letter_holds_the_whole_letter(course):
    letter = course.letter
    with translation.override("en"):
        doc = documents.letter_document(course=course, code="en", size=10)
    for part in ("greeting", "learned", "try_together", "help", "closing"):
        assert " ".join(letter[part].split()) in [" ".join(w.split()) for w in doc.written], part
    assert all(prompt in doc.written for prompt in letter["prompts"])


def test_every_guide_fits_two_pages_and_every_letter_one_in_both_languages(client, db):
    """The whole curriculum, downloaded as a teacher: 45 guides and 11 letters × en, zh-hans."""
    seed.run()
    client.force_login(TeacherFactory())
    counted = {"guide": 0, "letter": 0}
    for data in load_all():
        course = CoursePage.objects.get(slug=data["slug"], locale__language_code="en")
        urls = [("letter", letter_pdf_url(course, code), code) for code in ("en", "zh-hans")]
        for lesson in LessonPage.objects.child_of(course).filter(locale__language_code="en"):
            urls += [("guide", guide_pdf_url(lesson, code), code) for code in ("en", "zh-hans")]
        for kind, url, code in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            pages = page_count(response.content)
            limit = documents.GUIDE_MAX_PAGES if kind == "guide" else documents.LETTER_MAX_PAGES
            assert 1 <= pages <= limit, (url, pages)
            assert response["Content-Disposition"].endswith(f'-{code}.pdf"')
            if code == "zh-hans":
                assert b"NotoSansCJK" in response.content, url  # Chinese is drawn, not '?'
            counted[kind] += 1
    assert counted == {"guide": 90, "letter": 22}
