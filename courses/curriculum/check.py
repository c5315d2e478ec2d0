"""Validate the curriculum YAML files (run: python courses/curriculum/check.py).

The loader in courses/curriculum.py uses the same rules, so a file that passes here
seeds cleanly.
"""

import re
import sys
from pathlib import Path

import yaml

try:
    from courses.readability import chinese_level, english_level
except ModuleNotFoundError:  # run as a script: python courses/curriculum/check.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from courses.readability import chinese_level, english_level

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
BLOCK_TYPES = {
    "scenario",
    "text",
    "callout",
    "checklist",
    "glossary",
    "takeaways",
    "family",
    "video",
    "image",
    "screen",
}
# Drawn phone screens (courses/illustrations.py; courses/blocks.py ScreenBlock).
SCREEN_KINDS = {"chat", "post", "notification", "permission"}
SCREEN_SIDES = {"them", "me"}
SCREEN_KEYS = {"type", "kind", "title", "items", "likes", "comments", "alt", "caption"}
SCREEN_ITEM_KEYS = {"side", "name", "title", "text", "meta"}
SCREEN_ALT_MAX = 300  # courses/blocks.py SCREEN_ALT_MAX
SCREEN_MAX_ITEMS = 8
QUIZ_SCENARIO_FRAMES = {"none", "chat", "post", "notification", "permission"}
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
    "side",
    "likes",
    "comments",
    "scenario_frame",
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
        if key in {"type", "kind", "verdict", "side"}:
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


def check_screen(block: dict) -> list[str]:
    """A `type: screen` block: a known kind, 1-8 items each with text (chat items on a side),
    alt text of at most SCREEN_ALT_MAX characters."""
    errors = []
    if set(block) - SCREEN_KEYS:
        errors.append(f"screen has unknown keys {sorted(set(block) - SCREEN_KEYS)}")
    if block.get("kind") not in SCREEN_KINDS:
        errors.append(f"screen kind {block.get('kind')!r} not in {sorted(SCREEN_KINDS)}")
    alt = block.get("alt")
    if not isinstance(alt, str) or not alt.strip():
        errors.append("screen needs alt text describing the picture")
    elif len(alt.strip()) > SCREEN_ALT_MAX:
        errors.append(f"screen alt text is over {SCREEN_ALT_MAX} characters")
    items = block.get("items")
    if not isinstance(items, list) or not 1 <= len(items) <= SCREEN_MAX_ITEMS:
        errors.append(f"screen needs 1-{SCREEN_MAX_ITEMS} items")
        items = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
            errors.append(f"screen items[{i}] needs text")
            continue
        if set(item) - SCREEN_ITEM_KEYS:
            errors.append(f"screen items[{i}] has unknown keys {sorted(set(item) - SCREEN_ITEM_KEYS)}")
        for key in ("name", "title", "meta"):
            if key in item and not isinstance(item[key], str):
                errors.append(f'screen items[{i}].{key} must be text (quote times: meta: "21:47")')
        if block.get("kind") == "chat" and item.get("side", "them") not in SCREEN_SIDES:
            errors.append(f"screen items[{i}] side must be them or me")
    if "title" in block and not isinstance(block["title"], str):
        errors.append('screen title must be text (quote a time: title: "23:47")')
    for key in ("likes", "comments"):
        if key in block and (not isinstance(block[key], int) or block[key] < 0):
            errors.append(f"screen {key} must be a whole number")
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
            if b.get("type") == "screen":
                errors += [f"{name}: {where}: {e}" for e in check_screen(b)]
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
        if "scenario_frame" in q:
            need(
                q.get("type") == "redflags" and q["scenario_frame"] in QUIZ_SCENARIO_FRAMES,
                f"{where}: scenario_frame is for redflags questions, one of {sorted(QUIZ_SCENARIO_FRAMES)}",
            )
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


def check_companion_files(paths, folder: str, check, *, required: str | None) -> list[str]:
    """Each module file's companion in `folder` (same file name), read and passed with the
    module to `check(data, course, file name)`. A missing companion is the problem `required`
    says, or fine when `required` is None (only some modules have one)."""
    errors = []
    for path in map(Path, paths):
        companion = path.parent / folder / path.name
        if not companion.exists():
            if required is not None:
                errors.append(f"{folder}/{path.name}: {required}")
            continue
        course = yaml.safe_load(path.read_text(encoding="utf-8"))
        try:
            data = yaml.safe_load(companion.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            errors.append(f"{folder}/{path.name}: not valid YAML ({exc})")
            continue
        errors += check(data, course, path.name)
    return errors


def check_guide_files(paths) -> list[str]:
    """Every module file's guide file: required (the guide is part of the lesson)."""
    return check_companion_files(paths, GUIDES_DIR, check_guide, required="missing")


# What each module supports (standards.yaml): Art. 13 dimensions and two national standards.
STANDARDS_FILE = "standards.yaml"
STANDARDS_KEYS = {
    "sources",
    "dimensions",
    "it_literacies",
    "it_stages",
    "it_modules",
    "it_strands",
    "me_literacies",
    "me_themes",
    "modules",
}
STANDARDS_SOURCES = {"art13", "it", "me"}
# A module's entry: section -> {field: the vocabulary its values come from}.
STANDARDS_MODULE_FIELDS = {
    "it": {"literacies": "it_literacies", "modules": "it_modules", "strands": "it_strands"},
    "me": {"literacies": "me_literacies", "themes": "me_themes"},
}
LABEL_LANGUAGES = {"en", "zh"}


def _check_label(value, where: str, need, *, extra=frozenset()):
    """An {en, zh} label (plus `extra` keys): both present, the zh one in Chinese."""
    if not isinstance(value, dict):
        need(False, f"{where}: must be a mapping with en and zh")
        return
    need(set(value) == LABEL_LANGUAGES | set(extra), f"{where}: keys must be {sorted(LABEL_LANGUAGES | set(extra))}")
    need(_text(value.get("en")), f"{where}.en: empty")
    need(_text(value.get("zh")) and CJK.search(value.get("zh") or ""), f"{where}.zh: needs Chinese text")


def check_standards(data, modules: dict[str, list[str]]) -> list[str]:
    """standards.yaml against the module files (`modules`: module code -> its dimensions): known
    keys, en and zh labels, every module mapped once with known values, and each module's
    dimensions the same as its module file's."""
    errors = []

    def need(cond, msg):
        if not cond:
            errors.append(f"{STANDARDS_FILE}: {msg}")

    if not isinstance(data, dict):
        return [f"{STANDARDS_FILE}: not a mapping"]
    need(set(data) == STANDARDS_KEYS, f"top-level keys must be {sorted(STANDARDS_KEYS)}, are {sorted(data)}")
    if not set(data) >= STANDARDS_KEYS:
        return errors
    need(set(data["sources"] or {}) == STANDARDS_SOURCES, f"sources must be {sorted(STANDARDS_SOURCES)}")
    need(set(data["dimensions"] or {}) == DIMENSION_CODES, f"dimensions must be {sorted(DIMENSION_CODES)}")
    for section in STANDARDS_KEYS - {"modules"}:
        vocabulary = data[section]
        if not isinstance(vocabulary, dict) or not vocabulary:
            need(False, f"{section}: must be a non-empty mapping")
            continue
        for key, label in vocabulary.items():
            _check_label(label, f"{section}.{key}", need, extra={"stage"} if section == "it_modules" else set())
            if section == "it_modules" and isinstance(label, dict):
                need(label.get("stage") in (data["it_stages"] or {}), f"{section}.{key}: unknown stage")
    mapped = data["modules"] if isinstance(data["modules"], dict) else {}
    need(set(mapped) == set(modules), f"modules must be exactly {sorted(modules)}, are {sorted(mapped)}")
    for code, entry in mapped.items():
        where = f"modules.{code}"
        if not isinstance(entry, dict):
            need(False, f"{where}: must be a mapping")
            continue
        need(set(entry) == {"dimensions", *STANDARDS_MODULE_FIELDS}, f"{where}: keys must be dimensions, it, me")
        dims = entry.get("dimensions") or []
        need(dims and set(dims) <= DIMENSION_CODES, f"{where}.dimensions: must be some of {sorted(DIMENSION_CODES)}")
        if code in modules:
            need(
                set(dims) == set(modules[code]),
                f"{where}.dimensions {dims} differ from the module file's {modules[code]}",
            )
        for section, fields in STANDARDS_MODULE_FIELDS.items():
            part = entry.get(section)
            if not isinstance(part, dict):
                need(False, f"{where}.{section}: must be a mapping")
                continue
            need(set(part) == set(fields), f"{where}.{section}: keys must be {sorted(fields)}")
            for field, vocabulary in fields.items():
                values = part.get(field) or []
                need(isinstance(values, list) and values, f"{where}.{section}.{field}: needs 1+ values")
                unknown = [v for v in values if v not in (data[vocabulary] or {})] if isinstance(values, list) else []
                need(not unknown, f"{where}.{section}.{field}: unknown {unknown} (not in {vocabulary})")
                need(len(set(map(str, values))) == len(values), f"{where}.{section}.{field}: repeats a value")
    return errors


def check_standards_file(paths) -> list[str]:
    """standards.yaml beside the module files, checked against them (it is required)."""
    paths = [Path(p) for p in paths]
    if not paths:
        return []
    path = paths[0].parent / STANDARDS_FILE
    if not path.exists():
        return [f"{STANDARDS_FILE}: missing"]
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return [f"{STANDARDS_FILE}: not valid YAML ({exc})"]
    modules = {}
    for p in paths:
        course = yaml.safe_load(p.read_text(encoding="utf-8"))
        modules[course.get("module")] = list(course.get("dimensions") or [])
    return check_standards(data, modules)


# Age versions (versions/mNN-<slug>.yaml, issue 17; the format: SCHEMA.md). A younger version is
# for bands A/B (ages 9-12), an older one for C/D (ages 13-18); reading levels measured with
# courses/readability.py over the scenario prompt, each choice's text and feedback, and the examples.
VERSIONS_DIR = "versions"
AGES = ("younger", "older")
AGE_BANDS = {"younger": {"A", "B"}, "older": {"C", "D"}}
VERSION_LANGUAGES = ("en", "zh-hans")
VERSION_CHOICES = 3
EXAMPLE_TAGS = {"p", "ul", "ol", "li", "b", "i"}
EXAMPLE_WORDS = (80, 160)
# Ages 9-12 are US grades 4-7: plain, but not baby talk (an 11-year-old must not feel talked down to).
YOUNGER_GRADE = (3.0, 5.0)
OLDER_GRADE = (7.0, 11.0)
MIN_GRADE_GAP = 2.5
# Chinese: mean sentence length in Han characters; older texts stay readable on a phone.
YOUNGER_ZH_SENTENCE = (10, 16)
OLDER_ZH_SENTENCE = (20, 30)


def version_text(version: dict, language: str) -> str:
    """One version's text as measured: prompt, each choice's text and feedback, examples,
    joined with ". " (English) or "。" (Chinese)."""
    scenario = version.get("scenario") or {}
    parts = [str(scenario.get("prompt") or "")]
    for choice in scenario.get("choices") or []:
        if isinstance(choice, dict):
            parts += [str(choice.get("text") or ""), str(choice.get("feedback") or "")]
    parts.append(str(version.get("examples") or ""))
    return ("。" if language == "zh-hans" else ". ").join(parts)


def reading_level(version: dict, language: str) -> float:
    """Flesch-Kincaid grade (English) or mean sentence length in Han characters (Chinese)."""
    text = version_text(version, language)
    return chinese_level(text).mean_sentence if language == "zh-hans" else english_level(text).grade


def _check_version(version, where: str, language: str, need):
    """One language of one age version: the scenario and the examples."""
    if not isinstance(version, dict) or list(version) != ["scenario", "examples"]:
        need(False, f"{where}: needs exactly 'scenario' and 'examples'")
        return
    scenario = version["scenario"]
    if not isinstance(scenario, dict) or list(scenario) != ["prompt", "choices"]:
        need(False, f"{where}.scenario: needs exactly 'prompt' and 'choices'")
        return
    need(_text(scenario["prompt"]), f"{where}.scenario: needs a prompt")
    choices = scenario["choices"] if isinstance(scenario["choices"], list) else []
    need(len(choices) == VERSION_CHOICES, f"{where}.scenario: needs exactly {VERSION_CHOICES} choices")
    verdicts = []
    for i, choice in enumerate(choices):
        if not isinstance(choice, dict) or list(choice) != ["text", "verdict", "feedback"]:
            need(False, f"{where}.scenario.choices[{i}]: needs exactly text, verdict and feedback")
            continue
        need(
            _text(choice["text"]) and _text(choice["feedback"]),
            f"{where}.scenario.choices[{i}]: needs text and feedback",
        )
        need(choice["verdict"] in VERDICTS, f"{where}.scenario.choices[{i}]: verdict must be good/partly/bad")
        verdicts.append(choice["verdict"])
    need(verdicts.count("good") == 1, f"{where}.scenario: needs exactly one 'good' choice, has {verdicts}")
    examples = version["examples"]
    if not _text(examples):
        need(False, f"{where}.examples: empty")
        return
    tags = set(re.findall(r"</?\s*([a-zA-Z0-9]+)", examples))
    need(tags <= EXAMPLE_TAGS, f"{where}.examples: disallowed tags {sorted(tags - EXAMPLE_TAGS)}")
    need(tags & {"p", "ul", "ol"}, f"{where}.examples: write it as HTML (<p>, <ul>)")
    if language == "en":
        count = len(re.findall(r"[A-Za-z]+(?:['’][A-Za-z]+)*", re.sub(r"<[^>]+>", " ", examples)))
        low, high = EXAMPLE_WORDS
        need(low <= count <= high, f"{where}.examples: {count} words, needs {low}-{high}")
    else:
        texts = [("scenario.prompt", scenario["prompt"]), ("examples", examples)]
        texts += [
            (f"scenario.choices[{i}].{key}", c.get(key))
            for i, c in enumerate(choices)
            for key in ("text", "feedback")
            if isinstance(c, dict)
        ]
        for at, value in texts:
            need(not _text(value) or CJK.search(value), f"{where}.{at}: not translated (no Chinese text)")


def check_versions(versions, course: dict, name: str) -> list[str]:
    """A versions file against its (valid) module file: lessons of the module marked for younger
    and older bands, each with a younger and an older version in English and Chinese, the
    Chinese with the same choices and verdicts in the same order, at the reading levels above."""
    errors = []

    def need(cond, msg):
        if not cond:
            errors.append(f"{VERSIONS_DIR}/{name}: {msg}")

    if not isinstance(versions, dict) or list(versions) != ["lessons"] or not isinstance(versions["lessons"], list):
        return [f"{VERSIONS_DIR}/{name}: needs exactly one key, 'lessons', a list"]
    bands = {lesson.get("slug"): set(lesson.get("bands") or []) for lesson in course.get("lessons") or []}
    seen = set()
    for lesson in versions["lessons"]:
        if not isinstance(lesson, dict):
            need(False, "every item of 'lessons' is a mapping")
            continue
        slug = lesson.get("slug")
        where = f"lesson {slug}"
        if slug not in bands:
            need(False, f"{where}: no lesson with this slug in {name}")
            continue
        need(slug not in seen, f"{where}: listed twice")
        seen.add(slug)
        for age in AGES:
            need(
                bands[slug] & AGE_BANDS[age],
                f"{where}: its bands {sorted(bands[slug])} include none for {age} learners "
                f"({'/'.join(sorted(AGE_BANDS[age]))})",
            )
        if list(lesson) != ["slug", *AGES]:
            need(False, f"{where}: keys must be {['slug', *AGES]}, are {list(lesson)}")
            continue
        levels = {}
        for age in AGES:
            languages = lesson[age]
            if not isinstance(languages, dict) or list(languages) != list(VERSION_LANGUAGES):
                need(False, f"{where}.{age}: keys must be {list(VERSION_LANGUAGES)}")
                continue
            before = len(errors)
            for language in VERSION_LANGUAGES:
                _check_version(languages[language], f"{where}.{age}.{language}", language, need)
            if len(errors) > before:
                continue
            en, zh = languages["en"], languages["zh-hans"]
            en_verdicts = [c["verdict"] for c in en["scenario"]["choices"]]
            zh_verdicts = [c["verdict"] for c in zh["scenario"]["choices"]]
            need(
                en_verdicts == zh_verdicts,
                f"{where}.{age}.zh-hans: choices' verdicts {zh_verdicts} differ from the English {en_verdicts}",
            )
            for language in VERSION_LANGUAGES:
                levels[age, language] = reading_level(languages[language], language)
        if len(levels) < 4:
            continue
        younger, older = levels["younger", "en"], levels["older", "en"]
        low, high = YOUNGER_GRADE
        need(low <= younger <= high, f"{where}.younger.en: reads at grade {younger}, needs {low}-{high}")
        low, high = OLDER_GRADE
        need(low <= older <= high, f"{where}.older.en: reads at grade {older}, needs {low}-{high}")
        need(
            older - younger >= MIN_GRADE_GAP,
            f"{where}: the older version reads only {round(older - younger, 1)} grades above the younger "
            f"(grade {older} vs {younger}), needs {MIN_GRADE_GAP}+",
        )
        zh_younger, zh_older = levels["younger", "zh-hans"], levels["older", "zh-hans"]
        for age, value, (low, high) in (
            ("younger", zh_younger, YOUNGER_ZH_SENTENCE),
            ("older", zh_older, OLDER_ZH_SENTENCE),
        ):
            need(
                low <= value <= high,
                f"{where}.{age}.zh-hans: mean sentence {value} characters, needs {low}-{high}",
            )
        for language in VERSION_LANGUAGES:
            need(
                version_text(lesson["younger"][language], language)
                != version_text(lesson["older"][language], language),
                f"{where}.{language}: the younger and older versions are the same text",
            )
    return errors


def check_version_files(paths) -> list[str]:
    """Every module file's versions file that exists (only some modules have versions)."""
    errors = check_companion_files(paths, VERSIONS_DIR, check_versions, required=None)
    for orphan in sorted((Path(paths[0]).parent / VERSIONS_DIR).glob("*.yaml")) if paths else []:
        if orphan.name not in {Path(p).name for p in paths}:
            errors.append(f"{VERSIONS_DIR}/{orphan.name}: no module file of that name")
    return errors


# Pre-checks (prechecks/mNN-<slug>.yaml, issue 17): a short separate question pool per module.
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
    return check_companion_files(
        paths,
        PRECHECKS_DIR,
        lambda pre, course, name: check_precheck(pre, course, f"{PRECHECKS_DIR}/{name}"),
        required="missing (every module has a pre-check)",
    )


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
    errors += check_standards_file(paths)
    errors += check_version_files(paths)
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
