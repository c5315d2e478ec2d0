"""The whole curriculum in Simplified Chinese (issue 13): 45 lessons of at least 600 characters
and 110 quiz items, each file mirroring its English source."""

from courses.curriculum import curriculum_files, load_all, load_zh
from courses.curriculum.check import check_zh_files, zh_chars


def test_every_module_has_a_chinese_file_that_mirrors_the_english_one():
    errors, summary = check_zh_files(curriculum_files())
    assert errors == []
    assert summary == "45 zh-hans lessons, 110 translated quiz items"


def test_every_chinese_lesson_has_at_least_600_characters():
    short = []
    for course in load_all():
        for lesson in load_zh(course)["lessons"]:
            if zh_chars(lesson["body"]) < 600:
                short.append(f"{course['module']} {lesson['slug']}: {zh_chars(lesson['body'])}")
    assert not short, short


def test_sample_passwords_may_stay_as_they_are_but_sentences_must_be_translated():
    from courses.curriculum.check import _parity

    errors = []
    _parity({"text": "kettle-moon-river-paper"}, {"text": "kettle-moon-river-paper"}, "q", errors)
    assert errors == []
    _parity({"text": "Tell a trusted adult"}, {"text": "Tell a trusted adult"}, "q", errors)
    assert errors == ["q.text: not translated (no Chinese text)"]
