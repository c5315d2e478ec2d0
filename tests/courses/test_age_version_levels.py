"""Age versions (issue 17) read at the levels the review set: the same measure as the helper
self-check in the versions brief (scenario prompt, each choice's text and feedback, then the
examples, joined with ". " in English and "。" in Chinese)."""

from pathlib import Path

import pytest
import yaml

from courses.readability import chinese_level, english_level

VERSIONS_DIR = Path(__file__).resolve().parents[2] / "courses" / "curriculum" / "versions"
VERSION_FILES = sorted(VERSIONS_DIR.glob("*.yaml"))
LESSONS = [
    (path.name, lesson)
    for path in VERSION_FILES
    for lesson in yaml.safe_load(path.read_text(encoding="utf-8"))["lessons"]
]
IDS = [f"{name}/{lesson['slug']}" for name, lesson in LESSONS]


def _measured_text(version: dict, separator: str) -> str:
    scenario = version["scenario"]
    parts = [scenario["prompt"]]
    parts += [part for choice in scenario["choices"] for part in (choice["text"], choice["feedback"])]
    parts.append(version["examples"])
    return separator.join(parts)


def test_there_are_versions_to_check():
    assert LESSONS


@pytest.mark.parametrize("name, lesson", LESSONS, ids=IDS)
def test_english_grades(name, lesson):
    younger = english_level(_measured_text(lesson["younger"]["en"], ". ")).grade
    older = english_level(_measured_text(lesson["older"]["en"], ". ")).grade
    assert 3.0 <= younger <= 5.0, f"younger English grade {younger}"
    assert 7.0 <= older <= 11.0, f"older English grade {older}"
    assert older - younger >= 2.5


@pytest.mark.parametrize("name, lesson", LESSONS, ids=IDS)
def test_chinese_sentence_lengths(name, lesson):
    younger = chinese_level(_measured_text(lesson["younger"]["zh-hans"], "。")).mean_sentence
    older = chinese_level(_measured_text(lesson["older"]["zh-hans"], "。")).mean_sentence
    assert 10.0 <= younger <= 16.0, f"younger Chinese mean sentence {younger}"
    assert 20.0 <= older <= 30.0, f"older Chinese mean sentence {older}"


@pytest.mark.parametrize("name, lesson", LESSONS, ids=IDS)
def test_english_and_chinese_share_verdicts_in_order(name, lesson):
    for age in ("younger", "older"):
        english = [choice["verdict"] for choice in lesson[age]["en"]["scenario"]["choices"]]
        chinese = [choice["verdict"] for choice in lesson[age]["zh-hans"]["scenario"]["choices"]]
        assert english == chinese
        assert sorted(english) == ["bad", "good", "partly"]


@pytest.mark.parametrize("name, lesson", LESSONS, ids=IDS)
def test_younger_versions_end_with_a_trusted_adult_or_get_help(name, lesson):
    english = lesson["younger"]["en"]["examples"].rsplit("<p>", 1)[-1]
    chinese = lesson["younger"]["zh-hans"]["examples"].rsplit("<p>", 1)[-1]
    assert "trusted adult" in english or "Get help" in english
    assert "信任的大人" in chinese or "求助" in chinese
