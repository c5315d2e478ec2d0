"""Validate the curriculum YAML files (run: python courses/curriculum/check.py).

The loader in courses/curriculum.py uses the same rules, so a file that passes here
seeds cleanly.
"""

import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
TOPICS = {
    "citizenship",
    "privacy",
    "passwords",
    "footprint",
    "rumours",
    "scams",
    "cyberbullying",
    "screen-time",
    "relationships",
    "law",
    "creativity-ai",
}
# Cover illustrations drawn by courses/covers.py (its MOTIFS must match this set; tested).
COVER_MOTIFS = {
    "globe",
    "shield-eye",
    "padlock",
    "footprints",
    "magnifier",
    "fish-hook",
    "speech-bubbles",
    "moon-clock",
    "hearts",
    "scales",
    "pencil-sparkle",
}
COVER_ALT_MAX = 250  # CoursePage.cover_alt
BANDS = {"A", "B", "C", "D"}
BLOCK_TYPES = {"scenario", "text", "callout", "checklist", "glossary", "takeaways", "family", "video", "image"}
QUESTION_TYPES = {"single", "multiple", "truefalse", "ordering", "redflags"}
VERDICTS = {"good", "partly", "bad"}
CALLOUT_KINDS = {"tip", "warning", "remember", "help"}
ALLOWED_TAGS = {"p", "b", "i", "ul", "ol", "li", "h3", "a", "br", "strong", "em"}
MIN_LESSON_WORDS = 400


def words(text) -> int:
    text = re.sub(r"<[^>]+>", " ", str(text or ""))
    # CJK characters count as words too, so a Chinese aside is not ignored.
    return len(re.findall(r"[\u4e00-\u9fff]|[^\s\u4e00-\u9fff]+", text))


def block_words(block: dict) -> int:
    total = 0
    for key, value in block.items():
        if key in {"type", "kind", "verdict"}:
            continue
        if isinstance(value, list):
            for item in value:
                total += sum(words(v) for v in item.values()) if isinstance(item, dict) else words(item)
        else:
            total += words(value)
    return total


def check_cover(cover) -> list[str]:
    """The optional `cover:` section: a known motif and alt text describing the picture."""
    if not isinstance(cover, dict):
        return ["cover must be a mapping with 'motif' and 'alt'"]
    errors = []
    if set(cover) - {"motif", "alt"}:
        errors.append(f"cover has unknown keys {sorted(set(cover) - {'motif', 'alt'})}")
    if not isinstance(cover.get("motif"), str) or cover["motif"] not in COVER_MOTIFS:
        errors.append(f"cover motif {cover.get('motif')!r} not in {sorted(COVER_MOTIFS)}")
    alt = cover.get("alt")
    if not isinstance(alt, str) or not alt.strip():
        errors.append("cover needs alt text describing the picture")
    elif len(alt.strip()) > COVER_ALT_MAX:
        errors.append(f"cover alt text is over {COVER_ALT_MAX} characters")
    return errors


def check_course(data: dict, name: str) -> list[str]:
    errors = []

    def need(cond, msg):
        if not cond:
            errors.append(f"{name}: {msg}")

    for key in (
        "module",
        "slug",
        "title",
        "topic",
        "summary",
        "why_it_matters",
        "objectives",
        "family_prompts",
        "lessons",
        "quiz",
        "estimated_minutes",
        "age_bands",
    ):
        need(key in data, f"missing '{key}'")
    if errors:
        return errors
    need(data["topic"] in TOPICS, f"topic {data['topic']!r} not in {sorted(TOPICS)}")
    need(set(data["age_bands"]) <= BANDS, "age_bands must be from A-D")
    need(len(data["family_prompts"]) >= 2, "needs 2+ family_prompts")
    if "cover" in data:
        errors += [f"{name}: {e}" for e in check_cover(data["cover"])]
    for fp in data["family_prompts"]:
        need(fp.get("question") and fp.get("action"), "family prompt needs question and action")
    lessons = data["lessons"]
    need(len(lessons) >= 4, f"needs 4+ lessons, has {len(lessons)}")
    slugs = [lesson.get("slug") for lesson in lessons]
    need(len(set(slugs)) == len(slugs), "lesson slugs must be unique")
    for lesson in lessons:
        where = f"lesson {lesson.get('slug')}"
        for key in ("slug", "title", "objective", "body", "minutes", "bands"):
            need(key in lesson, f"{where}: missing '{key}'")
        body = lesson.get("body") or []
        types = [b.get("type") for b in body]
        for b in body:
            need(b.get("type") in BLOCK_TYPES, f"{where}: unknown block type {b.get('type')!r}")
            if b.get("type") == "scenario":
                need(b.get("prompt"), f"{where}: scenario needs a prompt")
                choices = b.get("choices") or []
                need(2 <= len(choices) <= 4, f"{where}: scenario needs 2-4 choices")
                for c in choices:
                    need(c.get("text") and c.get("feedback"), f"{where}: scenario choice needs text and feedback")
                    need(c.get("verdict") in VERDICTS, f"{where}: verdict must be good/partly/bad")
            if b.get("type") == "callout":
                need(b.get("kind") in CALLOUT_KINDS, f"{where}: callout kind must be one of {sorted(CALLOUT_KINDS)}")
            if b.get("type") == "text":
                tags = set(re.findall(r"</?\s*([a-zA-Z0-9]+)", b.get("html", "")))
                need(tags <= ALLOWED_TAGS, f"{where}: disallowed tags {sorted(tags - ALLOWED_TAGS)}")
            if b.get("type") == "takeaways":
                need(len(b.get("items") or []) == 3, f"{where}: takeaways needs exactly 3 items")
        need("scenario" in types, f"{where}: needs a scenario block")
        need("takeaways" in types, f"{where}: needs a takeaways block")
        need("family" in types, f"{where}: needs a family block")
        count = sum(block_words(b) for b in body)
        need(count >= MIN_LESSON_WORDS, f"{where}: {count} words, needs {MIN_LESSON_WORDS}+")
    quiz = data["quiz"]
    questions = quiz.get("questions") or []
    need(8 <= len(questions) <= 12, f"quiz needs 8-12 questions, has {len(questions)}")
    qtypes = {q.get("type") for q in questions}
    need(qtypes >= QUESTION_TYPES, f"quiz lacks types {sorted(QUESTION_TYPES - qtypes)}")
    for i, q in enumerate(questions, 1):
        where = f"quiz q{i}"
        need(q.get("type") in QUESTION_TYPES, f"{where}: unknown type {q.get('type')!r}")
        need(q.get("text") and q.get("explanation"), f"{where}: needs text and explanation")
        choices = q.get("choices") or []
        for c in choices:
            need(c.get("text") and c.get("feedback"), f"{where}: every choice needs text and feedback")
        correct = [c for c in choices if c.get("correct")]
        if q.get("type") == "single":
            need(len(choices) >= 3 and len(correct) == 1, f"{where}: single needs 3+ choices, exactly 1 correct")
        if q.get("type") == "truefalse":
            need(
                [c.get("text") for c in choices] == ["True", "False"] and len(correct) == 1,
                f"{where}: truefalse choices are 'True', 'False' with 1 correct",
            )
        if q.get("type") == "multiple":
            need(len(choices) >= 3 and len(correct) >= 2, f"{where}: multiple needs 3+ choices, 2+ correct")
        if q.get("type") == "ordering":
            need(3 <= len(choices) <= 6, f"{where}: ordering needs 3-6 steps")
        if q.get("type") == "redflags":
            need(
                q.get("scenario") and correct and len(correct) < len(choices),
                f"{where}: redflags needs a scenario, some risky and some safe items",
            )
    return errors


def main(paths=None) -> int:
    paths = paths or sorted(HERE.glob("m*.yaml"))
    errors, seen = [], set()
    for path in paths:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        errors += check_course(data, Path(path).name)
        if data.get("slug") in seen:
            errors.append(f"{path}: duplicate course slug")
        seen.add(data.get("slug"))
    for e in errors:
        print(e)
    print(f"{len(paths)} files, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main([Path(p) for p in sys.argv[1:]] or None))
