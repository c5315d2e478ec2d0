from decimal import Decimal

import factory

from quizzes.models import Choice, Question


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    title = factory.Sequence(lambda n: f"Question {n}")
    qtype = "single"
    text = factory.Faker("sentence")
    explanation = "Because."
    topic = "privacy"
    age_bands = "B,C"


def make_question(qtype="single", *, choices=None, **kwargs):
    """A question with options: choices = [(text, correct[, weight])]."""
    defaults = {
        "single": [("Right", True), ("Wrong", False), ("Also wrong", False)],
        "truefalse": [("True", True), ("False", False)],
        "multiple": [("A", True), ("B", True), ("C", False)],
        "ordering": [("First", False), ("Second", False), ("Third", False)],
        "redflags": [("Asks for password", True), ("Uses your name", False), ("Odd link", True)],
    }
    q = QuestionFactory(qtype=qtype, **kwargs)
    for i, spec in enumerate(choices or defaults[qtype]):
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
