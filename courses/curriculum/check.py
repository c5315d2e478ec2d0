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
# The Chinese curriculum (courses/curriculum/zh-hans/, same file names; /work format in
# docs/curriculum-i18n.md): Chinese is counted by characters, not words.
ZH_DIR = "zh-hans"
MIN_LESSON_ZH_CHARS = 600
# Values the Chinese file copies unchanged from the English file.
STRUCTURAL_KEYS = {
    "module",
    "slug",
    "topic",
    "dimensions",
    "age_bands",
    "estimated_minutes",
    "motif",
    "bands",
    "minutes",
    "type",
    "verdict",
    "kind",
    "correct",
    "pass_mark",
    "url",
    "weight",
}
ZH_ONLY_OMITTED = {"title_zh"}
TRUEFALSE_ZH = ["对", "错"]
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


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


def zh_chars(value) -> int:
    """Chinese characters in a value (strings, lists and dicts walked; keys not counted)."""
    if isinstance(value, dict):
        return sum(zh_chars(v) for k, v in value.items() if k not in STRUCTURAL_KEYS)
    if isinstance(value, list):
        return sum(zh_chars(v) for v in value)
    return len(CJK.findall(re.sub(r"<[^>]+>", " ", str(value or ""))))


def _parity(en, zh, path: str, errors: list[str]):
    """Walk both files together: same keys in the same order, same list lengths, structural
    values unchanged, every English text replaced by a Chinese one."""
    if isinstance(en, dict):
        if not isinstance(zh, dict):
            errors.append(f"{path or '(top)'}: expected a mapping")
            return
        want = [k for k in en if k not in ZH_ONLY_OMITTED or path]
        if list(zh) != want:
            missing = [k for k in want if k not in zh]
            extra = [k for k in zh if k not in want]
            detail = f"missing {missing}" if missing else f"extra {extra}" if extra else "keys in another order"
            errors.append(f"{path or '(top)'}: keys differ from the English file ({detail})")
        for key in want:
            if key in zh:
                _parity(en[key], zh[key], f"{path}.{key}" if path else key, errors)
        return
    if isinstance(en, list):
        if not isinstance(zh, list) or len(zh) != len(en):
            got = len(zh) if isinstance(zh, list) else type(zh).__name__
            errors.append(f"{path}: {len(en)} items in English, {got} in Chinese")
            return
        for i, (a, b) in enumerate(zip(en, zh, strict=True)):
            _parity(a, b, f"{path}[{i}]", errors)
        return
    key = path.rsplit(".", 1)[-1].split("[", 1)[0]
    if key in STRUCTURAL_KEYS or not isinstance(en, str):
        if en != zh:
            errors.append(f"{path}: must stay {en!r} as in the English file, is {zh!r}")
        return
    if not isinstance(zh, str) or not zh.strip():
        errors.append(f"{path}: empty")
    elif re.search(r"[A-Za-z]{3}", en) and not CJK.search(zh) and not (zh == en and not re.search(r"\s", en)):
        # A single token kept as it is (a sample password, a username, a web address) is fine.
        errors.append(f"{path}: not translated (no Chinese text)")


def check_zh_course(en: dict, zh: dict, name: str) -> list[str]:
    """A Chinese file against its (valid) English file: structural parity, True/False as
    对/错, and at least MIN_LESSON_ZH_CHARS Chinese characters of teaching per lesson."""
    if not isinstance(zh, dict):
        return [f"{name}: not a mapping"]
    found: list[str] = []
    _parity(en, zh, "", found)
    errors = [f"{name}: {e}" for e in found]
    if "title_zh" in zh:
        errors.append(f"{name}: title_zh: omit it in the Chinese file (the title is Chinese)")
    for i, lesson in enumerate(zh.get("lessons") or []):
        if not isinstance(lesson, dict):
            continue
        count = zh_chars(lesson.get("body") or [])
        if count < MIN_LESSON_ZH_CHARS:
            errors.append(
                f"{name}: lessons[{i}] ({lesson.get('slug')}): {count} Chinese characters, needs {MIN_LESSON_ZH_CHARS}+"
            )
    for i, question in enumerate((zh.get("quiz") or {}).get("questions") or []):
        if isinstance(question, dict) and question.get("type") == "truefalse":
            texts = [c.get("text") for c in question.get("choices") or [] if isinstance(c, dict)]
            if texts != TRUEFALSE_ZH:
                errors.append(f"{name}: quiz.questions[{i}].choices: true/false options are '对', '错', not {texts}")
    return errors


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


# Teacher guides and family letters (courses/curriculum/guides/, same file names as the modules).
GUIDES_DIR = "guides"
GUIDE_LANGUAGES = ("en", "zh-hans")
GUIDE_MINUTES = 40  # one class; courses/blocks.py GUIDE_CLASS_MINUTES must match
GUIDE_PHASES = ["warm-up", "scenario", "activity", "exit-ticket"]
DIMENSION_CODES = {"M", "L", "U", "S"}
LETTER_KEYS = ("greeting", "learned", "prompts", "try_together", "help", "closing")
LESSON_GUIDE_KEYS = ("essential_question", "vocabulary", "plan", "exit_ticket", "discussion", "safeguarding")


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _check_language(value, language: str, where: str, need):
    """Every text in `value` present, and Chinese in the zh-hans version."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in {"phase", "minutes"}:
                _check_language(item, language, f"{where}.{key}", need)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_language(item, language, f"{where}[{i}]", need)
    elif not isinstance(value, int):
        need(_text(value), f"{where}: empty")
        if language == "zh-hans" and _text(value):
            need(CJK.search(value), f"{where}: not translated (no Chinese text)")


def check_guide(guide, course: dict, name: str) -> list[str]:
    """A guide file against its (valid) module file: a family letter and a guide for every
    lesson, in English and Chinese; each plan a 40-minute class; 3 discussion questions and
    2-3 exit-ticket questions."""
    errors = []

    def need(cond, msg):
        if not cond:
            errors.append(f"{GUIDES_DIR}/{name}: {msg}")

    if not isinstance(guide, dict):
        return [f"{GUIDES_DIR}/{name}: not a mapping"]
    module = guide.get("module")
    need(module == course.get("module"), f"module {module!r}, expected {course.get('module')!r}")
    letter = guide.get("family_letter") or {}
    for language in GUIDE_LANGUAGES:
        where = f"family_letter.{language}"
        text = letter.get(language) if isinstance(letter, dict) else None
        if not isinstance(text, dict):
            need(False, f"{where}: missing")
            continue
        need(list(text) == list(LETTER_KEYS), f"{where}: keys must be {list(LETTER_KEYS)}")
        need(isinstance(text.get("prompts"), list) and len(text["prompts"]) == 3, f"{where}.prompts: needs 3")
        _check_language(text, language, where, need)
    wanted = [lesson.get("slug") for lesson in course.get("lessons") or []]
    lessons = guide.get("lessons") or []
    found = [lesson.get("slug") for lesson in lessons if isinstance(lesson, dict)]
    need(found == wanted, f"lessons {found} must be the module's lessons in order {wanted}")
    for lesson in lessons:
        if not isinstance(lesson, dict):
            continue
        where = f"lesson {lesson.get('slug')}"
        dims = lesson.get("dimensions")
        need(
            isinstance(dims, list) and dims and set(dims) <= DIMENSION_CODES,
            f"{where}: dimensions must be some of {sorted(DIMENSION_CODES)}",
        )
        for language in GUIDE_LANGUAGES:
            at = f"{where}.{language}"
            text = lesson.get(language)
            if not isinstance(text, dict):
                need(False, f"{at}: missing")
                continue
            need(list(text) == list(LESSON_GUIDE_KEYS), f"{at}: keys must be {list(LESSON_GUIDE_KEYS)}")
            plan = text.get("plan") or []
            need([s.get("phase") for s in plan] == GUIDE_PHASES, f"{at}.plan: phases must be {GUIDE_PHASES}")
            minutes = sum(s.get("minutes") or 0 for s in plan if isinstance(s.get("minutes"), int))
            need(minutes == GUIDE_MINUTES, f"{at}.plan: {minutes} minutes, must add to {GUIDE_MINUTES}")
            need(len(text.get("discussion") or []) == 3, f"{at}.discussion: needs 3 questions")
            need(2 <= len(text.get("exit_ticket") or []) <= 3, f"{at}.exit_ticket: needs 2-3 questions")
            need(len(text.get("vocabulary") or []) >= 1, f"{at}.vocabulary: needs 1+ terms")
            _check_language(text, language, at, need)
        if isinstance(lesson.get("en"), dict) and isinstance(lesson.get("zh-hans"), dict):
            en_plan = [s.get("minutes") for s in lesson["en"].get("plan") or []]
            zh_plan = [s.get("minutes") for s in lesson["zh-hans"].get("plan") or []]
            need(en_plan == zh_plan, f"{where}: the zh-hans plan's minutes {zh_plan} differ from the English {en_plan}")
    return errors


def check_guide_files(paths) -> list[str]:
    """Every module file's guide file: required (the guide is part of the lesson)."""
    errors = []
    for path in paths:
        path = Path(path)
        guide_path = path.parent / GUIDES_DIR / path.name
        if not guide_path.exists():
            errors.append(f"{GUIDES_DIR}/{path.name}: missing")
            continue
        course = yaml.safe_load(path.read_text(encoding="utf-8"))
        try:
            guide = yaml.safe_load(guide_path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            errors.append(f"{GUIDES_DIR}/{path.name}: not valid YAML ({exc})")
            continue
        errors += check_guide(guide, course, path.name)
    return errors


PRECHECKS_DIR = "prechecks"
PRECHECK_QUESTIONS = 4
PRECHECK_TYPES = {"single", "truefalse", "multiple"}
PRECHECK_LANGUAGES = ("en", "zh-hans")


def _norm(text) -> str:
    return re.sub(r"\W+", " ", str(text or "")).strip().lower()


def check_precheck(pre, course: dict, name: str) -> list[str]:
    """A module's pre-check (prechecks/mNN-<slug>.yaml, issue 17): `course` (the module's
    slug), `title`, `title_zh`, and `en` / `zh-hans` lists of 4 questions (single, truefalse,
    multiple) with the same types, the same number of choices and the same correct ones; no
    question or choice repeats the module quiz's (a separate pool)."""
    errors = []
    if not isinstance(pre, dict):
        return [f"{name}: not a mapping"]
    if pre.get("course") != course.get("slug"):
        errors.append(f"{name}: course {pre.get('course')!r} is not the module's slug {course.get('slug')!r}")
    for key in ("title", "title_zh"):
        if not _text(pre.get(key)):
            errors.append(f"{name}: {key} missing")
    lists = {}
    for language in PRECHECK_LANGUAGES:
        questions = pre.get(language)
        if not isinstance(questions, list) or len(questions) != PRECHECK_QUESTIONS:
            errors.append(f"{name}: {language} needs exactly {PRECHECK_QUESTIONS} questions")
            continue
        lists[language] = questions
        for i, q in enumerate(questions, start=1):
            where = f"{name}: {language} question {i}"
            if not isinstance(q, dict) or q.get("type") not in PRECHECK_TYPES:
                errors.append(f"{where}: type must be one of {sorted(PRECHECK_TYPES)}")
                continue
            if not _text(q.get("text")):
                errors.append(f"{where}: text missing")
            choices = q.get("choices") or []
            correct = sum(1 for c in choices if c.get("correct"))
            if len(choices) < 2 or any(not _text(c.get("text")) for c in choices):
                errors.append(f"{where}: needs 2+ choices, each with text")
            elif q["type"] == "multiple" and correct < 2:
                errors.append(f"{where}: a multiple question needs 2+ correct choices")
            elif q["type"] != "multiple" and correct != 1:
                errors.append(f"{where}: needs exactly one correct choice")
            if q["type"] == "truefalse" and len(choices) != 2:
                errors.append(f"{where}: true/false has exactly 2 choices")
            elif q["type"] == "truefalse" and language == "zh-hans":
                if [str(c.get("text")) for c in choices] != TRUEFALSE_ZH:
                    errors.append(f"{where}: zh-hans true/false choices are {TRUEFALSE_ZH}")
    if len(lists) == len(PRECHECK_LANGUAGES):
        for i, (en, zh) in enumerate(zip(lists["en"], lists["zh-hans"], strict=True), start=1):
            if not (isinstance(en, dict) and isinstance(zh, dict)):
                continue
            shape = [bool(c.get("correct")) for c in en.get("choices") or []]
            if en.get("type") != zh.get("type") or shape != [bool(c.get("correct")) for c in zh.get("choices") or []]:
                errors.append(f"{name}: zh-hans question {i} differs from en in type, choices or correct ones")
    quiz = (course.get("quiz") or {}).get("questions") or []
    taken = {_norm(q.get("text")) for q in quiz}
    for q in lists.get("en", []):
        if isinstance(q, dict) and _norm(q.get("text")) in taken:
            errors.append(f"{name}: {q.get('text')!r} repeats a module quiz question")
    return errors


def check_precheck_files(paths) -> list[str]:
    """Every module has its pre-check file (same name as the module file)."""
    errors = []
    for path in paths:
        path = Path(path)
        pre_path = path.parent / PRECHECKS_DIR / path.name
        if not pre_path.exists():
            errors.append(f"{PRECHECKS_DIR}/{path.name}: missing (every module has a pre-check)")
            continue
        course = yaml.safe_load(path.read_text(encoding="utf-8"))
        try:
            pre = yaml.safe_load(pre_path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            errors.append(f"{PRECHECKS_DIR}/{path.name}: not valid YAML ({exc})")
            continue
        errors += check_precheck(pre, course, f"{PRECHECKS_DIR}/{path.name}")
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
    zh_errors, summary = check_zh_files(paths)
    errors += zh_errors
    errors += check_guide_files(paths)
    errors += check_precheck_files(paths)
    for e in errors:
        print(e)
    print(summary)
    print(f"{len(paths)} files, {len(errors)} problems")
    return 1 if errors else 0


def check_zh_files(paths) -> tuple[list[str], str]:
    """Every English file's zh-hans counterpart that exists; missing ones are reported in
    the summary line, not as problems (the translation arrives file by file)."""
    errors, missing = [], []
    lessons = items = 0
    for path in paths:
        path = Path(path)
        zh_path = path.parent / ZH_DIR / path.name
        if not zh_path.exists():
            missing.append(path.name)
            continue
        en = yaml.safe_load(path.read_text(encoding="utf-8"))
        try:
            zh = yaml.safe_load(zh_path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            errors.append(f"{ZH_DIR}/{path.name}: not valid YAML ({exc})")
            continue
        found = check_zh_course(en, zh, f"{ZH_DIR}/{path.name}")
        errors += found
        if not found:
            lessons += len(zh["lessons"])
            items += len(zh["quiz"]["questions"])
    summary = f"{lessons} zh-hans lessons, {items} translated quiz items"
    if missing:
        summary += f" ({len(missing)} of {len(paths)} files not translated yet: {', '.join(missing)})"
    return errors, summary


if __name__ == "__main__":
    sys.exit(main([Path(p) for p in sys.argv[1:]] or None))
