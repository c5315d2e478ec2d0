"""Every lesson in the repository meets the teaching rules in courses/curriculum/check.py."""

import re

import pytest

from courses.curriculum import MIN_LESSON_WORDS, TOPICS, check_course, lesson_words, load_all
from courses.models import Topic

COURSES = load_all()
LESSONS = [(c["slug"], lesson) for c in COURSES for lesson in c["lessons"]]


def test_eleven_modules_with_four_or_more_lessons_each():
    assert [c["module"] for c in COURSES] == [f"M{i}" for i in range(1, 12)]
    assert all(len(c["lessons"]) >= 4 for c in COURSES)
    assert len(LESSONS) >= 44


def test_every_file_passes_check_py():
    for course in COURSES:
        assert check_course(course, course["slug"]) == []


def test_topic_choices_match_check_py():
    assert set(Topic.values) == TOPICS


@pytest.mark.parametrize("course_slug, lesson", LESSONS, ids=[f"{c}/{lesson['slug']}" for c, lesson in LESSONS])
def test_lesson_length_scenario_and_takeaways(course_slug, lesson):
    types = [b["type"] for b in lesson["body"]]
    assert lesson_words(lesson) >= MIN_LESSON_WORDS
    assert "scenario" in types and "takeaways" in types and "family" in types
    for block in lesson["body"]:
        if block["type"] == "scenario":
            assert 2 <= len(block["choices"]) <= 4
            assert all(c["feedback"].strip() and c["verdict"] for c in block["choices"])
        if block["type"] == "takeaways":
            assert len(block["items"]) == 3


def test_no_placeholder_text():
    pattern = re.compile(r"lorem|ipsum|TODO|TBD|xxx", re.IGNORECASE)
    for course in COURSES:
        assert not pattern.search(course["_source"]), course["slug"]


def test_hotlines_are_stated_as_in_the_plan():
    text = " ".join(c["_source"] for c in COURSES)
    assert "12377" in text and "96110" in text


def test_check_py_catches_a_short_lesson_without_scenario():
    import copy

    course = copy.deepcopy(COURSES[0])
    course["lessons"][0]["body"] = [{"type": "text", "html": "<p>Too short.</p>"}]
    errors = check_course(course, "broken")
    assert any("needs a scenario" in e for e in errors)
    assert any("words, needs" in e for e in errors)
