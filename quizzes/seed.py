"""Demo quizzes: each curriculum course's `quiz:` section becomes bank questions and a
QuizPage under its CoursePage. Found by natural key (question source_key, page slug), so
reruns add only what is missing. Attempt history is the learning seed's job: it calls
quizzes.services.record_attempt."""

from pathlib import Path

import yaml
from django.db import transaction

from .models import Choice, Question, QuizPage, QuizQuestion


def curriculum_files(directory=None):
    from courses.curriculum import HERE

    return sorted(Path(directory or HERE).glob("m*.yaml"))


def quiz_slug(course_slug: str) -> str:
    return f"{course_slug}-quiz"


def ensure_questions(data: dict) -> list[Question]:
    slug = data["slug"]
    bands = ",".join(data.get("age_bands", []))
    questions = []
    for number, spec in enumerate(data["quiz"]["questions"], start=1):
        key = f"{slug}:q{number}"
        question = Question.objects.filter(source_key=key).first()
        if question is None:
            text = spec["text"].strip()
            question = Question.objects.create(
                source_key=key,
                title=f"{data.get('module', '')} Q{number}: {text[:60]}".strip()[:255],
                qtype=spec["type"],
                text=text,
                scenario=(spec.get("scenario") or "").strip(),
                explanation=(spec.get("explanation") or "").strip(),
                topic=data.get("topic", ""),
                age_bands=bands,
                category=f"NetWise/{slug}",
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
            question.tags.add(data.get("topic", "general"))
            question.save()  # modelcluster keeps tags in memory until save
            question.save_revision(log_action=False)
        questions.append(question)
    return questions


def ensure_quiz(course, data: dict, questions) -> tuple[QuizPage, bool]:
    slug = quiz_slug(data["slug"])
    existing = QuizPage.objects.child_of(course).filter(slug=slug).first()
    if existing:
        return existing, False
    spec = data["quiz"]
    quiz = QuizPage(
        title=spec.get("title") or f"Quiz: {course.title}",
        slug=slug,
        intro="Answer every question, then submit to see your score and why each answer is right or wrong.",
        pass_mark=int(spec.get("pass_mark", 70)),
        attempts_allowed=0,
        grading=QuizPage.Grading.HIGHEST,
        shuffle_options=True,
    )
    for i, question in enumerate(questions):
        quiz.quiz_questions.add(QuizQuestion(question=question, sort_order=i))
    course.add_child(instance=quiz)
    quiz.save_revision(log_action=False).publish()
    return quiz, True


@transaction.atomic
def run(stdout=None, *, directory=None):
    from courses.models import CoursePage

    made_quizzes = made_questions = 0
    for path in curriculum_files(directory):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not data.get("quiz"):
            continue
        course = CoursePage.objects.filter(slug=data["slug"]).first()
        if course is None:
            if stdout:
                stdout.write(f"quizzes: course {data['slug']!r} not found; run the courses seed first")
            continue
        before = Question.objects.count()
        questions = ensure_questions(data)
        made_questions += Question.objects.count() - before
        _, created = ensure_quiz(course, data, questions)
        made_quizzes += created
    if stdout:
        stdout.write(f"quizzes: {made_quizzes} quiz page(s) and {made_questions} question(s) created")
    return made_quizzes, made_questions
