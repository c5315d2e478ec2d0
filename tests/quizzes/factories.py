from decimal import Decimal

import factory

from quizzes.models import Choice, Question


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    title = factory.Sequence(lambda n: f"Question {n}")
    qtype = "single"
    text = factory.Sequence(lambda n: f"Question {n}: which of these options is the safest choice?")
    explanation = "Because."
    topic = "privacy"
    age_bands = "B,C"


def make_question(qtype="single", *, choices=None, **kwargs):
    """A question with options: choices = [(text, correct[, weight])] or dicts of Choice fields
    (matching: {"text": left, "match_text": right}; numerical: {"text": "5", "tolerance": 1})."""
    defaults = {
        "shortanswer": [("12377", True), ("*report*", False, Decimal("50")), ("*", False)],
        "numerical": [{"text": "12377", "correct": True}, {"text": "12000", "tolerance": 500, "weight": 25}],
        "matching": [
            {"text": "Prize you never entered", "match_text": "Too good to be true"},
            {"text": "Pay within one hour", "match_text": "Pressure"},
            {"text": "Send your password", "match_text": "Asks for secrets"},
            {"text": "", "match_text": "Friendly greeting"},
        ],
        "single": [("Right", True), ("Wrong", False), ("Also wrong", False)],
        "truefalse": [("True", True), ("False", False)],
        "multiple": [("A", True), ("B", True), ("C", False)],
        "ordering": [("First", False), ("Second", False), ("Third", False)],
        "redflags": [("Asks for password", True), ("Uses your name", False), ("Odd link", True)],
    }
    q = QuestionFactory(qtype=qtype, **kwargs)
    for i, spec in enumerate(choices or defaults[qtype]):
        if isinstance(spec, dict):
            Choice.objects.create(question=q, sort_order=i, **{"feedback": f"Feedback {i}.", **spec})
            continue
        text, correct, *rest = spec
        Choice.objects.create(
            question=q,
            sort_order=i,
            text=text,
            correct=correct,
            weight=rest[0] if rest else None,
            feedback=f"Feedback for {text}.",
        )
    return q


def make_all_types():
    return [
        make_question(
            "single",
            title="Single",
            category="Bank/One",
            points=Decimal("2"),
            choices=[("Right", True), ("Nearly", False, Decimal("50")), ("Wrong", False)],
        ),
        make_question(
            "multiple",
            title="Multi",
            category="Bank/One",
            choices=[("A", True), ("B", True), ("C", False, Decimal("-25"))],
        ),
        make_question("truefalse", title="TF", category="Bank/Two", choices=[("True", False), ("False", True)]),
        make_question("ordering", title="Order: steps {1}", category="Bank/Two", text="Line one\nLine: two = ~ #"),
        make_question("redflags", title="Flags", category="Bank/Two", scenario="From: bank@examp1e.com\nClick now!"),
    ]


def make_new_types():
    """One question of each type added with issue 15 (short answer, numerical, matching)."""
    return [
        make_question(
            "shortanswer", title="Short", category="Bank/Three", text="Which number reports illegal content?"
        ),
        make_question("numerical", title="Number", category="Bank/Three", text="Type the reporting number."),
        make_question("matching", title="Match", category="Bank/Three", text="Match each scam to its sign."),
    ]


def make_course(slug="test-course"):
    from courses.models import CoursePage
    from courses.seed import ensure_index

    existing = CoursePage.objects.filter(slug=slug).first()
    if existing:
        return existing
    from wagtail.models import Locale, Page

    Locale.objects.get_or_create(language_code="en")
    if Page.get_first_root_node() is None:  # transactional tests flush the migration's root
        Page.add_root(instance=Page(title="Root", slug="root"))
    index = ensure_index()
    course = index.add_child(instance=CoursePage(title="Test course", slug=slug, summary="A course.", topic="privacy"))
    course.save_revision().publish()
    return course


def make_quiz(*, questions=None, slug="test-quiz", course=None, **fields):
    """A live QuizPage under a course, with one question of each type unless given."""
    from quizzes.models import QuizPage, QuizQuestion

    course = course or make_course()
    questions = questions if questions is not None else make_all_types()
    # Tests pick their rules; these are the lenient pre-issue-15 ones (QuizPage.TEACHING_RULES
    # are the defaults of a new quiz, tested in test_quiz_rules.py).
    defaults = {"shuffle_options": True, "pass_mark": 60, "attempts_allowed": 0, "answers_shown": "after_attempt"}
    quiz = QuizPage(title="Test quiz", slug=slug, **{**defaults, **fields})
    for i, q in enumerate(questions):
        quiz.quiz_questions.add(QuizQuestion(question=q, sort_order=i))
    course.add_child(instance=quiz)
    quiz.save_revision().publish()
    return QuizPage.objects.get(pk=quiz.pk)


def perfect_answers(attempt):
    """The full-marks answer for every question in the attempt (computed from the key)."""
    from quizzes.models import Question

    answers = {}
    for q in Question.objects.filter(pk__in=attempt.question_ids).prefetch_related("choices"):
        choices = list(q.choices.all())
        if q.qtype in ("single", "truefalse"):
            answers[q.pk] = next(c.pk for c in choices if c.correct)
        elif q.qtype == "multiple":
            answers[q.pk] = [c.pk for c in choices if c.correct and (c.weight is None or c.weight > 0)]
        elif q.qtype == "ordering":
            answers[q.pk] = [c.pk for c in choices]
        elif q.qtype in ("shortanswer", "numerical"):
            answers[q.pk] = next(c.text for c in choices if c.correct)
        elif q.qtype == "matching":
            answers[q.pk] = {str(c.pk): c.pk for c in choices if c.text}
        else:
            answers[q.pk] = {str(c.pk): "risky" if c.correct else "safe" for c in choices}
    return answers


def form_data(attempt, answers):
    """POST data for the take form from canonical answers."""
    from quizzes.models import Choice, Question

    qtypes = dict(Question.objects.filter(pk__in=answers).values_list("pk", "qtype"))
    rights = {entry["q"]: entry.get("r", []) for entry in attempt.layout}
    data = {}
    for qid, answer in answers.items():
        if qtypes[qid] == "matching":
            match = dict(Choice.objects.filter(question_id=qid).values_list("pk", "match_text"))
            position = {match[cid]: i for i, cid in enumerate(rights[qid], start=1)}
            for left, right in answer.items():
                data[f"q-{qid}-match-{left}"] = str(position[match[right]])
        elif qtypes[qid] == "ordering":
            for pos, cid in enumerate(answer, start=1):
                data[f"q-{qid}-pos-{cid}"] = str(pos)
        elif qtypes[qid] == "redflags":
            for cid, mark in answer.items():
                data[f"q-{qid}-item-{cid}"] = mark
        else:
            data[f"q-{qid}"] = [str(x) for x in answer] if isinstance(answer, list) else str(answer)
    return data


def taken_wrongly_in_two_languages(student=None, course=None):
    """A quiz with a Chinese translation page, one question with Chinese twins and one
    without, answered wrongly by `student` (a new one if None); returns the student."""
    from wagtail.models import Locale

    from quizzes import services
    from tests.accounts.factories import StudentFactory

    question = make_question(
        "single",
        text="Someone you met in a game asks for your address. What do you do?",
        text_zh="游戏里认识的人问你的住址，你怎么办？",
        explanation="Never give your address to someone you only know online.",
        explanation_zh="不要把住址告诉只在网上认识的人。",
        choices=[
            {"text": "Tell a trusted adult", "text_zh": "告诉信任的大人", "correct": True},
            {"text": "Send it", "text_zh": "发给对方", "correct": False},
        ],
    )
    plain = make_question("single", text="Untranslated question", explanation="Untranslated why.")
    quiz = make_quiz(questions=[question, plain], slug="strangers", course=course)
    quiz.title = "Quiz: strangers online"
    quiz.save_revision().publish()
    zh = quiz.copy_for_translation(Locale.objects.get_or_create(language_code="zh-hans")[0], copy_parents=True)
    zh.title = "测验：网上的陌生人"
    zh.save_revision().publish()
    student = student or StudentFactory()
    wrong = question.choices.get(correct=False)
    plain_wrong = plain.choices.get(text="Wrong")
    services.record_attempt(student=student, quiz=quiz, answers={question.pk: wrong.pk, plain.pk: plain_wrong.pk})
    return student


def fix_key(question):
    """An editor's fix of a single-choice key: the option that was right is wrong now, and the
    first wrong one right. Returns (the option right before, the option right now)."""
    from quizzes.models import Choice

    was = question.choices.get(correct=True)
    now = question.choices.filter(correct=False).order_by("sort_order").first()
    Choice.objects.filter(pk=was.pk).update(correct=False)
    Choice.objects.filter(pk=now.pk).update(correct=True)
    return was, now
