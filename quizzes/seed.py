"""Curriculum quizzes: each curriculum course's `quiz:` section becomes bank questions and a
QuizPage under its CoursePage. Found by natural key (question source_key, page slug), so
reruns add only what is missing. Attempt history is the learning seed's job: it calls
quizzes.services.record_attempt."""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from wagtail.models import Locale

from courses.curriculum import HERE, load_zh
from courses.models import CoursePage

from .models import Choice, Question, QuizPage, QuizQuestion, ScenarioFrame

ZH_INTRO = "回答每一道题，然后提交，就能看到你的得分，以及每个答案为什么对、为什么错。"
PRECHECK_INTRO = (
    "A quick check before the lessons. It is optional and does not count: answer what you can, "
    "and you will learn about all of it in the lessons."
)
PRECHECK_ZH_INTRO = "上课前的快速小测，可以不做，也不计入成绩。会多少答多少，这些内容课上都会讲到。"
PRECHECKS_DIR = "prechecks"


def curriculum_files(directory=None):
    return sorted(Path(directory or HERE).glob("m*.yaml"))


def quiz_slug(course_slug: str) -> str:
    return f"{course_slug}-quiz"


def precheck_slug(course_slug: str) -> str:
    return f"{course_slug}-precheck"


def load_precheck(path: Path) -> dict | None:
    """The module's pre-check file (prechecks/<module file name>), validated, or None."""
    pre_path = Path(path).parent / PRECHECKS_DIR / Path(path).name
    if not pre_path.exists():
        return None
    return yaml.safe_load(pre_path.read_text(encoding="utf-8"))


def create_question(data: dict, spec: dict, *, key: str, title: str, category: str, tags) -> Question:
    """One bank question and its choices from a curriculum file's question `spec` (quiz or
    pre-check), with a first revision."""
    question = Question.objects.create(
        source_key=key,
        title=title.strip()[:255],
        qtype=spec["type"],
        text=spec["text"].strip(),
        scenario=(spec.get("scenario") or "").strip(),
        scenario_frame=spec.get("scenario_frame") or ScenarioFrame.NONE,
        explanation=(spec.get("explanation") or "").strip(),
        topic=data.get("topic", ""),
        age_bands=",".join(data.get("age_bands", [])),
        category=category,
    )
    Choice.objects.bulk_create(
        Choice(
            question=question,
            sort_order=i,
            text=str(choice["text"]).strip(),
            correct=bool(choice.get("correct", False)),
            feedback=(choice.get("feedback") or "").strip(),
        )
        for i, choice in enumerate(spec["choices"])
    )
    question.tags.add(*tags)
    question.save()  # modelcluster keeps tags in memory until save
    question.save_revision(log_action=False)
    return question


def _found_or_created(data: dict, spec: dict, *, key: str, **fields) -> Question:
    """The bank question seeded under `key` (source_key), or a new one from `spec`."""
    return Question.objects.filter(source_key=key).first() or create_question(data, spec, key=key, **fields)


def ensure_precheck_questions(data: dict, pre: dict) -> list[Question]:
    """The pre-check's own bank questions (source_key `<slug>:pre<n>`; never the quiz's), with
    their Chinese twins from the same file. Created once; the zh texts are kept in step."""
    slug = data["slug"]
    questions = []
    for number, (spec, zh) in enumerate(zip(pre["en"], pre["zh-hans"], strict=True), start=1):
        question = _found_or_created(
            data,
            spec,
            key=f"{slug}:pre{number}",
            title=f"{data.get('module', '')} pre-check {number}: {spec['text'].strip()[:50]}",
            category=f"NetWise/{slug}/pre-check",
            tags=(data.get("topic", "general"), "pre-check"),
        )
        if question.text_zh != zh["text"].strip():
            Question.objects.filter(pk=question.pk).update(text_zh=zh["text"].strip())
        for choice, c_spec in zip(question.choices.order_by("sort_order", "pk"), zh["choices"], strict=False):
            if choice.text_zh != str(c_spec["text"]).strip():
                Choice.objects.filter(pk=choice.pk).update(text_zh=str(c_spec["text"]).strip())
        questions.append(question)
    return questions


def _publish_new(course, quiz: QuizPage, questions) -> QuizPage:
    """Put a new quiz page with these questions, in order, under the course, live."""
    for i, question in enumerate(questions):
        quiz.quiz_questions.add(QuizQuestion(question=question, sort_order=i))
    course.add_child(instance=quiz)
    quiz.save_revision(log_action=False).publish()
    return quiz


def ensure_precheck(course, data: dict, pre: dict, questions) -> tuple[QuizPage, bool]:
    """The course's pre-check page (QuizPage.purpose "precheck"), found by slug."""
    slug = precheck_slug(data["slug"])
    existing = QuizPage.objects.child_of(course).filter(slug=slug).first()
    if existing:
        return existing, False
    quiz = QuizPage(
        title=pre.get("title") or f"Quick check: {course.title}",
        slug=slug,
        intro=PRECHECK_INTRO,
        purpose=QuizPage.Purpose.PRECHECK,
        shuffle_options=True,
        **QuizPage.PRECHECK_RULES,
    )
    return _publish_new(course, quiz, questions), True


def ensure_zh_precheck(quiz: QuizPage, pre: dict) -> QuizPage | None:
    """The pre-check's zh-hans translation under the Chinese course (attempts go to the
    English page, as for every quiz)."""
    return _ensure_zh_page(quiz, title=pre.get("title_zh") or quiz.title, intro=PRECHECK_ZH_INTRO)


def ensure_questions(data: dict) -> list[Question]:
    slug = data["slug"]
    questions = []
    for number, spec in enumerate(data["quiz"]["questions"], start=1):
        question = _found_or_created(
            data,
            spec,
            key=f"{slug}:q{number}",
            title=f"{data.get('module', '')} Q{number}: {spec['text'].strip()[:60]}",
            category=f"NetWise/{slug}",
            tags=(data.get("topic", "general"),),
        )
        frame = spec.get("scenario_frame") or ScenarioFrame.NONE
        if question.scenario_frame != frame:  # how it is drawn follows the file
            Question.objects.filter(pk=question.pk).update(scenario_frame=frame)
            question.scenario_frame = frame
        questions.append(question)
    return questions


def ensure_quiz(course, data: dict, questions) -> tuple[QuizPage, bool]:
    slug = quiz_slug(data["slug"])
    existing = QuizPage.objects.child_of(course).filter(slug=slug).first()
    if existing:
        return teach(existing), False
    spec = data["quiz"]
    quiz = QuizPage(
        title=spec.get("title") or f"Quiz: {course.title}",
        slug=slug,
        intro="Answer every question, then submit to see your score and why each answer is right or wrong.",
        pass_mark=int(spec.get("pass_mark", 70)),
        shuffle_options=True,
        **QuizPage.TEACHING_RULES,
    )
    return _publish_new(course, quiz, questions), True


# The rules curriculum quizzes had before issue 15: unlimited attempts, answers after each.
_OLD_RULES = {"attempts_allowed": 0, "answers_shown": QuizPage.AnswersShown.AFTER_ATTEMPT}


def teach(quiz: QuizPage) -> QuizPage:
    """A curriculum quiz still on the old rules moves to QuizPage.TEACHING_RULES (published
    as a revision, so the editor sees it); one an editor changed is left alone."""
    if any(getattr(quiz, field) != value for field, value in _OLD_RULES.items()):
        return quiz
    for field, value in QuizPage.TEACHING_RULES.items():
        setattr(quiz, field, value)
    quiz.save_revision(log_action=False).publish()
    return quiz


def apply_zh_questions(questions: list[Question], zh: dict) -> int:
    """Fill the Chinese twins of each question and option from the zh-hans file, by position
    (question i, option j); returns how many questions changed (0 on a rerun)."""
    changed = 0
    for question, spec in zip(questions, zh["quiz"]["questions"], strict=True):
        wanted = {
            "text_zh": spec["text"].strip(),
            "scenario_zh": (spec.get("scenario") or "").strip(),
            "explanation_zh": (spec.get("explanation") or "").strip(),
        }
        dirty = False
        if any(getattr(question, k) != v for k, v in wanted.items()):
            Question.objects.filter(pk=question.pk).update(**wanted)
            dirty = True
        choices = list(question.choices.order_by("sort_order", "pk"))
        for choice, c_spec in zip(choices, spec["choices"], strict=False):
            text, feedback = str(c_spec["text"]).strip(), (c_spec.get("feedback") or "").strip()
            if choice.text_zh != text or choice.feedback_zh != feedback:
                Choice.objects.filter(pk=choice.pk).update(text_zh=text, feedback_zh=feedback)
                dirty = True
        changed += dirty
    return changed


def ensure_zh_quiz(quiz: QuizPage, zh: dict) -> QuizPage | None:
    """The quiz page's zh-hans translation under the Chinese course (same translation_key;
    attempts always go to the English quiz, see quizzes.services.source_quiz)."""
    return _ensure_zh_page(quiz, title=zh["quiz"].get("title") or quiz.title, intro=ZH_INTRO)


def _ensure_zh_page(quiz: QuizPage, *, title: str, intro: str) -> QuizPage | None:
    """`quiz`'s zh-hans translation with this title and intro, live; None while its course has
    no Chinese translation. Unchanged when already so (reseeding makes no revision)."""
    locale = Locale.objects.filter(language_code="zh-hans").first()
    if locale is None or quiz.get_parent().specific.get_translation_or_none(locale) is None:
        return None
    translated = quiz.get_translation_or_none(locale)
    if translated is None:
        translated = quiz.copy_for_translation(locale)
    elif translated.title == title and translated.intro == intro and translated.live:
        return translated
    translated.title = title
    translated.intro = intro
    translated.save()
    translated.save_revision(log_action=False).publish()
    return translated


@transaction.atomic
def run(stdout=None, *, directory=None):
    made_quizzes = made_questions = translated = made_prechecks = 0
    for path in curriculum_files(directory):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["_path"] = str(path)
        if not data.get("quiz"):
            continue
        course = CoursePage.objects.filter(slug=data["slug"], locale__language_code=settings.LANGUAGE_CODE).first()
        if course is None:
            if stdout:
                stdout.write(f"quizzes: course {data['slug']!r} not found; run the courses seed first")
            continue
        before = Question.objects.count()
        questions = ensure_questions(data)
        made_questions += Question.objects.count() - before
        quiz, created = ensure_quiz(course, data, questions)
        made_quizzes += created
        zh = load_zh(data)
        if zh is not None:
            apply_zh_questions(questions, zh)
            if ensure_zh_quiz(quiz, zh) is not None:
                translated += len(questions)
        pre = load_precheck(path)
        if pre is not None:
            before = Question.objects.count()
            pre_questions = ensure_precheck_questions(data, pre)
            made_questions += Question.objects.count() - before
            precheck, created = ensure_precheck(course, data, pre, pre_questions)
            made_prechecks += created
            ensure_zh_precheck(precheck, pre)
    if stdout:
        stdout.write(
            f"quizzes: {made_quizzes} quiz page(s), {made_prechecks} pre-check(s) and {made_questions} "
            f"question(s) created; {translated} question(s) in zh-hans"
        )
    return made_quizzes, made_questions
