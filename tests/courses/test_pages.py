"""Page-type rules and the learner pages: catalogue filters, course status, lesson done."""

import pytest
from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, LessonCompletion, LessonPage
from courses.services import mark_lesson_done
from courses.signals import lesson_completed

PAGE_BUDGET = 100 * 1024


class TestPageTypeRules:
    def test_catalogue_holds_only_courses(self):
        assert CourseIndexPage.allowed_subpage_models() == [CoursePage]
        assert LessonPage not in CourseIndexPage.allowed_subpage_models()

    def test_course_holds_lessons_and_leaves_room_for_quizzes(self):
        assert "quizzes.QuizPage" in CoursePage.subpage_types
        assert LessonPage in CoursePage.allowed_subpage_models()
        assert CourseIndexPage not in CoursePage.allowed_subpage_models()
        assert CoursePage not in CoursePage.allowed_subpage_models()

    def test_course_lives_only_in_a_catalogue(self):
        assert CoursePage.allowed_parent_page_models() == [CourseIndexPage]

    def test_lesson_lives_only_in_a_course_and_has_no_children(self):
        assert LessonPage.allowed_parent_page_models() == [CoursePage]
        assert LessonPage.allowed_subpage_models() == []

    def test_can_create_at(self, catalogue, course, lessons):
        assert CoursePage.can_create_at(catalogue)
        assert not LessonPage.can_create_at(catalogue)
        assert LessonPage.can_create_at(course)
        assert not CoursePage.can_create_at(course)
        assert not LessonPage.can_create_at(lessons[0])


class TestCatalogue:
    def test_catalogue_lists_live_courses(self, client, catalogue):
        response = client.get("/learn/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Digital citizenship and civilised conduct" in html
        assert "Cyberbullying" in html

    def test_named_url_redirects_to_the_catalogue_and_keeps_filters(self, client, catalogue):
        response = client.get("/courses/?topic=cyberbullying")
        assert response.status_code == 302
        assert response["Location"] == "/learn/?topic=cyberbullying"

    def test_filter_by_topic(self, client, catalogue):
        html = client.get("/learn/", {"topic": "cyberbullying"}).content.decode()
        assert "/learn/digital-citizenship/" not in html
        assert 'href="/learn/respectful-speech-cyberbullying/' in html

    def test_filter_by_age_band(self, client, catalogue, course):
        course.age_bands = "CD"
        course.save_revision().publish()
        html = client.get("/learn/", {"band": "A"}).content.decode()
        assert "/learn/digital-citizenship/" not in html
        html = client.get("/learn/", {"band": "D"}).content.decode()
        assert "/learn/digital-citizenship/" in html
        assert "Ages 13–18" in html and "Bands C, D" not in html  # ages, not letters

    def test_unknown_filter_values_are_ignored(self, client, catalogue):
        html = client.get("/learn/", {"topic": "<script>", "band": "Z"}).content.decode()
        assert "/learn/digital-citizenship/" in html
        assert "<script>" not in html

    def test_unpublished_course_is_hidden(self, client, catalogue, course):
        course.unpublish()
        html = client.get("/learn/").content.decode()
        assert "/learn/digital-citizenship/" not in html
        assert client.get(course.url_path.replace("/courses/", "/learn/", 1)).status_code == 404


class TestCoursePage:
    def test_anonymous_sees_lessons_and_family_prompts(self, client, course, lessons):
        html = client.get(course.url).content.decode()
        for lesson in lessons:
            assert lesson.title.replace("'", "&#x27;") in html
        assert "Talk about it at home" in html
        assert "Not done yet" not in html

    def test_learner_sees_status_per_lesson(self, client, student, course, lessons):
        mark_lesson_done(user=student, lesson=lessons[0])
        client.force_login(student)
        html = client.get(course.url).content.decode()
        assert html.count("✓ Done") == 1
        assert html.count("Not done yet") == len(lessons) - 1
        assert f"1 of {len(lessons)} lessons done" in html

    def test_other_learners_progress_is_not_shown(self, client, student, course, lessons):
        from tests.accounts.factories import StudentFactory

        mark_lesson_done(user=StudentFactory(), lesson=lessons[0])
        client.force_login(student)
        assert "✓ Done" not in client.get(course.url).content.decode()


class TestLessonPage:
    def test_lesson_has_previous_and_next(self, client, lessons):
        html = client.get(lessons[1].url).content.decode()
        assert f'href="{lessons[0].url}" rel="prev"' in html
        assert f'href="{lessons[2].url}" rel="next"' in html
        first = client.get(lessons[0].url).content.decode()
        assert 'rel="prev"' not in first
        last = client.get(lessons[-1].url).content.decode()
        assert 'rel="next"' not in last

    def test_lesson_renders_blocks_without_script(self, client, lessons):
        html = client.get(lessons[0].url).content.decode()
        assert "What would you do?" in html and "<details" in html
        assert "Key takeaways" in html
        assert "<script>" not in html  # only the external, deferred site script
        assert "style=" not in html

    def test_anonymous_is_asked_to_log_in(self, client, lessons):
        html = client.get(lessons[0].url).content.decode()
        assert "Log in to save your progress" in html
        response = client.post(f"/courses/lessons/{lessons[0].pk}/done/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert not LessonCompletion.objects.exists()

    def test_mark_as_done_records_completion_once(self, client, student, lessons):
        client.force_login(student)
        received = []
        lesson_completed.connect(lambda **kw: received.append(kw["lesson"].pk), weak=False, dispatch_uid="t")
        try:
            for _ in range(2):
                response = client.post(f"/courses/lessons/{lessons[0].pk}/done/")
                assert response.status_code == 302
                assert response["Location"] == lessons[0].url
        finally:
            lesson_completed.disconnect(dispatch_uid="t")
        assert LessonCompletion.objects.filter(user=student, lesson=lessons[0]).count() == 1
        assert received == [lessons[0].pk]
        html = client.get(lessons[0].url).content.decode()
        assert "Mark as not done" in html

    def test_undo(self, client, student, lessons):
        mark_lesson_done(user=student, lesson=lessons[0])
        client.force_login(student)
        client.post(f"/courses/lessons/{lessons[0].pk}/done/", {"undo": "1"})
        assert not LessonCompletion.objects.exists()

    def test_done_only_by_post(self, client, student, lessons):
        client.force_login(student)
        assert client.get(f"/courses/lessons/{lessons[0].pk}/done/").status_code == 405

    def test_unpublished_or_unknown_lesson_is_404(self, client, student, lessons):
        client.force_login(student)
        lessons[0].unpublish()
        assert client.post(f"/courses/lessons/{lessons[0].pk}/done/").status_code == 404
        assert client.post("/courses/lessons/999999/done/").status_code == 404
        page = Page.objects.get(pk=lessons[0].get_parent().pk)
        assert client.post(f"/courses/lessons/{page.pk}/done/").status_code == 404

    def test_next_is_not_an_open_redirect(self, client, student, lessons):
        client.force_login(student)
        response = client.post(f"/courses/lessons/{lessons[0].pk}/done/", {"next": "https://evil.example/"})
        assert response["Location"] == lessons[0].url


class TestSearch:
    def test_learners_can_search_lessons(self, client, catalogue, lessons):
        response = client.get("/courses/search/", {"q": "group chat"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Group-chat manners" in html

    def test_search_hides_unpublished(self, client, catalogue, lessons):
        lessons[1].unpublish()
        html = client.get("/courses/search/", {"q": "group chat manners"}).content.decode()
        assert lessons[1].url not in html

    def test_empty_query_shows_form_only(self, client, catalogue):
        html = client.get("/courses/search/").content.decode()
        assert 'name="q"' in html and "Results for" not in html


class TestBudgets:
    """Pages stay under 100 KB of HTML+CSS+JS, with a fixed number of queries."""

    @pytest.fixture
    def asset_bytes(self, settings):
        from django.conf import settings as s

        static = s.BASE_DIR / "site" / "static"
        return (static / "css" / "netwise.css").stat().st_size + (static / "js" / "netwise.js").stat().st_size

    def test_pages_are_small(self, client, student, course, lessons, asset_bytes):
        client.force_login(student)
        for url in ("/learn/", course.url, *[lesson.url for lesson in lessons]):
            size = len(client.get(url).content) + asset_bytes
            assert size < PAGE_BUDGET, (url, size)

    # Anonymous renders are all ours and Wagtail's; signed-in renders also carry the
    # header (notifications) and the learning app's progress hook.
    # Anonymous: +1 since curriculum i18n (Wagtail routes from site.root_page.localized,
    # which looks up the active language's Locale on every request).
    BUDGETS = {False: (8, 12, 12), True: (12, 20, 26)}

    @pytest.mark.parametrize("logged_in", [False, True])
    def test_query_counts_are_fixed(self, client, student, course, lessons, logged_in, django_assert_max_num_queries):
        if logged_in:
            client.force_login(student)
            mark_lesson_done(user=student, lesson=lessons[0])
        client.get("/learn/")  # warm the site-root cache, as a running server has it
        urls = ("/learn/", course.url, lessons[1].url)
        for url, budget in zip(urls, self.BUDGETS[logged_in]):
            with django_assert_max_num_queries(budget, info=url):
                assert client.get(url).status_code == 200

    @pytest.mark.parametrize("logged_in", [False, True])
    def test_query_counts_do_not_grow_with_lessons(self, client, student, course, lessons, logged_in):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        if logged_in:
            client.force_login(student)
        client.get(course.url)

        def count(url):
            client.get(url)  # settle per-page side effects (first-visit progress rows)
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            return len(ctx)

        before = (count("/learn/"), count(course.url), count(lessons[1].url))
        for i in range(5):
            extra = LessonPage(title=f"Extra {i}", slug=f"extra-{i}", objective="More practice.", body=[])
            course.add_child(instance=extra)
            mark_lesson_done(user=student, lesson=extra)
        after = (count("/learn/"), count(course.url), count(lessons[1].url))
        assert after == before


def test_age_bands_read_as_ages_never_bare_letters():
    from courses.models import AgeBand, ages_label

    assert ages_label("ABCD") == "Ages 9–18"
    assert ages_label("BC") == "Ages 11–15"
    assert ages_label("AD") == "Ages 9–10, 16–18"
    assert ages_label(["C", "A"]) == "Ages 9–10, 13–15"
    assert ages_label("") == ""
    assert AgeBand.A.label == "Ages 9–10 (band A)"
