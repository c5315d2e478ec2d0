"""The quiz engine's data: the question bank (snippets), quiz pages, attempts, statistics."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, RevisionMixin
from wagtail.search import index

from courses.models import ages_label

from . import scoring
from .admin_forms import QuestionAdminForm, QuizPageForm

AGE_BANDS = ["A", "B", "C", "D"]


def wants_chinese(language: str | None = None) -> bool:
    return (language or get_language() or "").lower().startswith("zh")


def in_reader_language(english, chinese_twin, chinese: bool):
    """The Chinese twin for a Chinese reader (`chinese`, from wants_chinese) when it is filled
    in, else the English text: for rows read as values; model rows use LocalisedTextMixin."""
    return chinese_twin if chinese and chinese_twin else english


class LocalisedTextMixin:
    """One row per question or option in every language: the `<field>_zh` twin is shown
    to Chinese readers when filled in, else the English text (docs/curriculum-i18n.md)."""

    def in_language(self, field: str, language: str | None = None) -> str:
        return in_reader_language(getattr(self, field), getattr(self, f"{field}_zh", ""), wants_chinese(language))


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey("quizzes.Question", on_delete=models.CASCADE, related_name="tagged_items")


class ScenarioFrame(models.TextChoices):
    """How a red-flag question's scenario is drawn (courses/illustrations.py)."""

    NONE = "none", _("Plain text")
    CHAT = "chat", _("Chat")
    POST = "post", _("Social post")
    NOTIFICATION = "notification", _("Notifications on a lock screen")
    PERMISSION = "permission", _("App asking for permissions")


class Question(LocalisedTextMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """One bank question. Choices are its options (steps for ordering, items for red flags)."""

    class Type(models.TextChoices):
        SINGLE = scoring.SINGLE, _("Single choice")
        MULTIPLE = scoring.MULTIPLE, _("Multiple select")
        TRUEFALSE = scoring.TRUEFALSE, _("True or false")
        ORDERING = scoring.ORDERING, _("Put in order")
        REDFLAGS = scoring.REDFLAGS, _("Spot the red flags")
        SHORTANSWER = scoring.SHORTANSWER, _("Short answer")
        NUMERICAL = scoring.NUMERICAL, _("Numerical")
        MATCHING = scoring.MATCHING, _("Matching")

    title = models.CharField(_("title"), max_length=255)
    qtype = models.CharField(
        _("type"),
        max_length=16,
        choices=Type.choices,
        default=Type.SINGLE,
        help_text=_(
            "Scoring: single/true-false: the chosen option's weight (correct = full marks). "
            "Multiple: +1/c per correct option ticked, -1/c per wrong one (c = correct options), "
            "never below 0, unless options carry weights. Ordering: the share of neighbouring "
            "steps kept in the right order; list options in the correct order. Red flags: the "
            "share of items marked correctly (ticked 'correct' = risky). Short answer: each option "
            "is an accepted answer (* matches anything), its weight or 'correct' its credit. "
            "Numerical: each option's text is a number accepted within its tolerance ('*' = any). "
            "Matching: each option pairs its text (left) with its match (right); an option with "
            "only a match is a distractor; the share of pairs matched."
        ),
    )
    text = models.TextField(_("question text"))
    scenario = models.TextField(
        _("scenario"),
        blank=True,
        help_text=_("Red flags only: the message, post or screen the learner inspects."),
    )
    scenario_frame = models.CharField(
        _("scenario frame"),
        max_length=16,
        choices=ScenarioFrame.choices,
        default=ScenarioFrame.NONE,
        help_text=_(
            "Red flags only: draw the scenario as a phone screen, one item per line. A first line "
            "ending in a colon is the title; in a chat, lines starting 'me:' go on the right."
        ),
    )
    explanation = models.TextField(_("explanation"), blank=True, help_text=_("Shown after submission."))
    # Simplified Chinese of the texts above: the same question (scoring, attempts, statistics).
    text_zh = models.TextField(_("question text (Simplified Chinese)"), blank=True)
    scenario_zh = models.TextField(_("scenario (Simplified Chinese)"), blank=True)
    explanation_zh = models.TextField(_("explanation (Simplified Chinese)"), blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=Decimal("1"))
    case_sensitive = models.BooleanField(
        _("case-sensitive"),
        default=False,
        help_text=_("Short answer only: 'Email' and 'email' count as different answers."),
    )
    topic = models.CharField(_("topic"), max_length=64, blank=True, db_index=True)
    age_bands = models.CharField(
        _("age bands"),
        max_length=16,
        blank=True,
        help_text=_("Comma-separated bands the question suits, e.g. A,B,C."),
    )
    category = models.CharField(_("category"), max_length=255, blank=True, help_text=_("Imported bank category."))
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(_("image alt text"), max_length=255, blank=True)
    source_key = models.CharField(max_length=128, blank=True, db_index=True, help_text=_("Seed/import natural key."))
    tags = ClusterTaggableManager(through=QuestionTag, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="question")

    base_form_class = QuestionAdminForm

    panels = [
        FieldPanel("title"),
        FieldPanel("qtype"),
        FieldPanel("text"),
        FieldPanel("scenario"),
        FieldPanel("scenario_frame"),
        FieldPanel("case_sensitive"),
        InlinePanel("choices", label=_("Options, accepted answers or pairs"), min_num=1),
        FieldPanel("explanation"),
        MultiFieldPanel(
            [FieldPanel("text_zh"), FieldPanel("scenario_zh"), FieldPanel("explanation_zh")],
            heading=_("Simplified Chinese"),
            help_text=_("Shown to learners who use NetWise in Chinese; empty fields show the English."),
        ),
        MultiFieldPanel(
            [
                FieldPanel("points"),
                FieldPanel("topic"),
                FieldPanel(
                    "age_bands",
                    help_text=_("Comma-separated bands the question suits: A ages 9–10, B 11–12, C 13–15, D 16–18."),
                ),
                FieldPanel("tags"),
                FieldPanel("category"),
                FieldPanel("image"),
                FieldPanel("image_alt"),
            ],
            heading=_("Classification"),
        ),
    ]
    search_fields = [
        index.SearchField("title"),
        index.SearchField("text"),
        index.FilterField("qtype"),
        index.FilterField("topic"),
    ]

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        return self._revisions

    @property
    def band_list(self) -> list[str]:
        return [b.strip() for b in self.age_bands.split(",") if b.strip()]

    def ages(self) -> str:
        return ages_label(self.band_list)

    ages.short_description = _("ages")

    @property
    def display_text(self) -> str:
        return self.in_language("text")

    @property
    def display_scenario(self) -> str:
        return self.in_language("scenario")

    @property
    def display_explanation(self) -> str:
        return self.in_language("explanation")

    def key(self, choices=None) -> scoring.QuestionKey:
        """The scoring key (server side only). `choices` may be prefetched, in order."""
        choices = list(self.choices.all()) if choices is None else choices
        return scoring.QuestionKey(
            qtype=self.qtype,
            points=Fraction(self.points),
            case_sensitive=self.case_sensitive,
            choices=tuple(choice_key(self.qtype, c) for c in choices),
        )


def choice_key(qtype: str, c) -> scoring.ChoiceKey:
    keyed = qtype in scoring.KEYED_BY_TEXT
    return scoring.ChoiceKey(
        id=c.pk,
        correct=c.correct,
        weight=None if c.weight is None else Fraction(c.weight) / 100,
        text=c.text if keyed else "",
        match=c.match_text if keyed else "",
        tolerance=None if c.tolerance is None else Fraction(c.tolerance),
    )


class Choice(LocalisedTextMixin, Orderable):
    """An option. For ordering questions the sort order is the correct order;
    for red flags `correct` means "risky"; for short answer and numerical questions it is an
    accepted answer (text: the answer or the number); for matching a pair (text: left item,
    match_text: right item; no text: a distractor on the right)."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.TextField(_("text"), blank=True, help_text=_("Empty only for a matching distractor."))
    correct = models.BooleanField(_("correct (risky for red flags)"), default=False)
    weight = models.DecimalField(
        _("weight %"),
        max_digits=9,
        decimal_places=5,
        null=True,
        blank=True,
        help_text=_("Optional percentage of the points (may be negative). Empty: the type's default rule."),
    )
    feedback = models.TextField(_("feedback"), blank=True)
    match_text = models.TextField(
        _("match (matching: the right item)"),
        blank=True,
        help_text=_("Matching only. Leave the text empty to add a distractor on the right."),
    )
    tolerance = models.DecimalField(
        _("tolerance (numerical)"),
        max_digits=20,
        decimal_places=10,
        null=True,
        blank=True,
        help_text=_("Numerical only: answers within ± this of the value are accepted."),
    )
    text_zh = models.TextField(_("text (Simplified Chinese)"), blank=True)
    feedback_zh = models.TextField(_("feedback (Simplified Chinese)"), blank=True)
    match_text_zh = models.TextField(_("match (Simplified Chinese)"), blank=True)

    panels = [
        FieldPanel("text"),
        FieldPanel("correct"),
        FieldPanel("weight"),
        FieldPanel("feedback"),
        FieldPanel("match_text"),
        FieldPanel("tolerance"),
        FieldPanel("text_zh"),
        FieldPanel("feedback_zh"),
        FieldPanel("match_text_zh"),
    ]

    def __str__(self):
        return self.text[:60]

    @property
    def display_text(self) -> str:
        return self.in_language("text")

    @property
    def display_feedback(self) -> str:
        return self.in_language("feedback")

    @property
    def display_match(self) -> str:
        return self.in_language("match_text")


# --------------------------------------------------------------------------- quiz pages

from django.conf import settings  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Page  # noqa: E402
from wagtail.snippets.widgets import AdminSnippetChooser  # noqa: E402

from courses.i18n import language_fallback, source_page  # noqa: E402


class QuizPage(Page):
    """A quiz under a course: a fixed list of bank questions, or a random draw from them."""

    class Grading(models.TextChoices):
        HIGHEST = "highest", _("Highest attempt")
        LAST = "last", _("Last attempt")
        AVERAGE = "average", _("Average of attempts")

    class FeedbackTiming(models.TextChoices):
        AFTER_ATTEMPT = "after_attempt", _("After each attempt")
        AFTER_DUE = "after_due", _("After the due date")
        NEVER = "never", _("Never")

    class AnswersShown(models.TextChoices):
        AFTER_LAST = "after_last", _("After the last attempt or the due date")
        AFTER_ATTEMPT = "after_attempt", _("After each attempt")
        AFTER_DUE = "after_due", _("After the due date")
        NEVER = "never", _("Never")

    class Purpose(models.TextChoices):
        QUIZ = "quiz", _("Module quiz")
        PRECHECK = "precheck", _("Pre-check (optional, does not count)")

    # A pre-check (issue 17) asks, before the lessons, what a learner already knows. Its
    # attempts are scored and kept, but never count: quizzes.selectors leaves them out of
    # results_for / submission_counts / submitted_attempts_with_answers unless asked, and
    # learning.progress never gives the page a progress row. One attempt, no answers shown.
    PRECHECK_RULES = {
        "attempts_allowed": 1,
        "feedback_timing": "never",
        "answers_shown": "never",
        "pass_mark": 0,
    }

    # What a new quiz starts with: a few attempts, right/wrong after each, the correct answers
    # only once no attempt is left (or the due date passed), so submitting blank to read the
    # answers and retrying to 100 % does not work (issue 15).
    TEACHING_RULES = {
        "attempts_allowed": 3,
        "grading": "highest",
        "feedback_timing": "after_attempt",
        "answers_shown": "after_last",
    }

    intro = models.TextField(_("introduction"), blank=True)
    draw_count = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        default=0,
        help_text=_("0: every question below, in order. N: a random draw of N per attempt."),
    )
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=70)
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        default=3,
        help_text=_(
            "0 means unlimited. With unlimited attempts, correct answers shown 'after the last "
            "attempt' appear only after the due date."
        ),
    )
    grading = models.CharField(_("grading"), max_length=16, choices=Grading.choices, default=Grading.HIGHEST)
    feedback_timing = models.CharField(
        _("show feedback"),
        max_length=16,
        choices=FeedbackTiming.choices,
        default=FeedbackTiming.AFTER_ATTEMPT,
    )
    answers_shown = models.CharField(
        _("show correct answers"),
        max_length=16,
        choices=AnswersShown.choices,
        default=AnswersShown.AFTER_LAST,
        help_text=_(
            "Feedback says what was right or wrong; the correct answers themselves are best kept "
            "until no attempt is left, or learners submit blank, read them and retry."
        ),
    )
    due_at = models.DateTimeField(_("due date"), null=True, blank=True)
    purpose = models.CharField(
        _("purpose"),
        max_length=16,
        choices=Purpose.choices,
        default=Purpose.QUIZ,
        db_index=True,
        help_text=_(
            "A pre-check is a short optional check before the lessons, from its own questions "
            "(never the module quiz's). It does not count towards progress, grades or "
            "certificates; learners take it once and see their score, never the answers. "
            "At most one pre-check per course."
        ),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"), null=True, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("quiz_questions", label=_("Questions"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("draw_count"),
                FieldPanel("shuffle_options"),
                FieldPanel("pass_mark"),
                FieldPanel("attempts_allowed"),
                FieldPanel("grading"),
                FieldPanel("time_limit_minutes"),
            ],
            heading=_("Rules"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("feedback_timing"),
                FieldPanel("answers_shown"),
                FieldPanel("due_at"),
            ],
            heading=_("Feedback"),
        ),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("purpose")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    base_form_class = QuizPageForm
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("quiz")

    def get_template(self, request, *args, **kwargs):
        return "quizzes/quiz_page.html"

    def get_context(self, request, *args, **kwargs):
        """The reader's grade and attempts come from the `quiz_reader` template tag."""
        context = super().get_context(request, *args, **kwargs)
        context["language_fallback"] = language_fallback(self)
        # An attempt follows the English quiz's rules (services.start_attempt): a translation
        # states those, not its own copy, which an editor may not have updated.
        context["rules"] = source_page(self)
        return context

    @property
    def is_precheck(self) -> bool:
        return self.purpose == self.Purpose.PRECHECK

    @property
    def question_count(self) -> int:
        """Questions per attempt: the draw, or every question (one query)."""
        total = self.quiz_questions.count()
        return min(self.draw_count, total) if self.draw_count else total

    def save(self, *args, **kwargs):
        """A pre-check never shows answers or feedback per question and allows one attempt
        (enforced here, whatever an editor or import set)."""
        if self.is_precheck:
            for name, value in self.PRECHECK_RULES.items():
                setattr(self, name, value)
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not self.is_precheck:
            return
        parent = self.get_parent() if self.pk else getattr(self, "_form_parent_page", None)
        if parent is None:
            return
        own = {qq.question_id for qq in self.quiz_questions.all() if qq.question_id}
        self.check_precheck(parent, own)

    def check_precheck(self, parent, question_ids) -> None:
        """A pre-check is the course's only one and draws from its own questions, none of them in
        a quiz of the course: ValidationError otherwise. The admin form checks the questions it
        was sent (quizzes.admin_forms.QuizPageForm), the model those it holds (imports, seeds)."""
        siblings = QuizPage.objects.child_of(parent).exclude(pk=self.pk)
        if siblings.filter(purpose=self.Purpose.PRECHECK).exists():
            raise ValidationError({"purpose": _("This course already has a pre-check.")})
        shared = set(question_ids) & set(
            QuizQuestion.objects.filter(quiz__in=siblings).values_list("question_id", flat=True)
        )
        if shared:
            raise ValidationError(
                {
                    "purpose": _("A pre-check draws from its own questions: %(n)s are in a quiz of this course.")
                    % {"n": len(shared)}
                }
            )

    def feedback_visible(self, now=None) -> bool:
        if self.feedback_timing == self.FeedbackTiming.NEVER:
            return False
        if self.feedback_timing == self.FeedbackTiming.AFTER_DUE:
            return self.past_due(now)
        return True

    def past_due(self, now=None) -> bool:
        return self.due_at is not None and (now or timezone.now()) >= self.due_at

    def answers_visible(self, *, attempts_left: int | None, now=None) -> bool:
        """Whether a learner's review shows the correct answers. `attempts_left`: the attempts
        they may still hand in, an open one included (selectors.QuizResult.attempts_to_submit),
        None when attempts are unlimited."""
        if not self.feedback_visible(now) or self.answers_shown == self.AnswersShown.NEVER:
            return False
        if self.answers_shown == self.AnswersShown.AFTER_ATTEMPT:
            return True
        if self.answers_shown == self.AnswersShown.AFTER_DUE:
            return self.past_due(now)
        return self.past_due(now) or attempts_left == 0


class QuizQuestion(Orderable):
    quiz = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="quiz_questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("question"))

    panels = [FieldPanel("question", widget=AdminSnippetChooser(Question))]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["quiz", "question"], name="quiz_question_once")]


# --------------------------------------------------------------------------- attempts


class Attempt(models.Model):
    """One go at a quiz. Immutable once submitted (the DB constraint and the guarded
    status transition in services.submit_attempt make that exactly once), except by a
    regrade (quizzes.regrade), which rescores it against corrected keys with update()."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    # No index of their own: attempt_number_unique (student, quiz, number) and the (quiz, status,
    # submitted_at) index lead with these columns, and each index is one more write per submit.
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts", db_index=False
    )
    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="attempts", db_index=False)
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    seed = models.BigIntegerField()
    # The drawn questions and each question's option order: a resumed attempt looks the same.
    layout = models.JSONField(default=list)
    # Raised whenever a regrade replaces a key in the layout: a submit graded against an earlier
    # layout closes nothing (statements.close_attempt checks it) and grades again.
    layout_version = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    max_score = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    percent = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)
    late = models.BooleanField(default=False)
    # Pre-checks only (None otherwise), set once on submit: True when the learner had not yet
    # completed a lesson of the course nor attempted its quiz, so the score counts as "before".
    before_lessons = models.BooleanField(null=True, blank=True)
    # When a regrade (quizzes.regrade, after an editor corrected a key) last changed this
    # attempt's result; its review tells the learner.
    regraded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["quiz", "student", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "quiz"],
                condition=Q(status="in_progress"),
                name="one_open_attempt_per_student_quiz",
            ),
            models.UniqueConstraint(fields=["student", "quiz", "number"], name="attempt_number_unique"),
            models.CheckConstraint(
                condition=Q(status="in_progress")
                | Q(submitted_at__isnull=False, score__isnull=False, max_score__isnull=False),
                name="submitted_attempt_is_scored",
            ),
        ]
        indexes = [models.Index(fields=["quiz", "status", "submitted_at"])]

    def __str__(self):
        return f"{self.student} · {self.quiz} #{self.number}"

    def save(self, *args, **kwargs):
        if getattr(self, "_loaded_status", None) == self.Status.SUBMITTED:
            raise ValueError("A submitted attempt cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if getattr(self, "_loaded_status", None) == self.Status.SUBMITTED and not kwargs.pop("force", False):
            raise ValueError("A submitted attempt cannot be deleted.")
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def question_ids(self) -> list[int]:
        return [entry["q"] for entry in self.layout]


def attempt_limit(attempts_allowed: int, extra_attempts: int) -> int:
    """The attempts one learner may make at a quiz: the quiz's own limit plus those their
    teacher gave them (AttemptAllowance); 0 = unlimited. The one place the rule is written:
    selectors.QuizResult applies it, and the start of an attempt reads that."""
    return attempts_allowed + extra_attempts if attempts_allowed else 0


class AttemptAllowance(models.Model):
    """Attempts a teacher gave one learner at one quiz beyond its limit ("Give one more
    attempt", learning). One row per learner and quiz, on the English source quiz (attempts
    are counted there, whatever language the page is read in); each grant raises the count by
    one with a conditional write (quizzes.services.grant_attempt), so two clicks at once give
    one attempt. Who gave the latest one is kept here; every grant is in the audit log."""

    # Indexed by one_allowance_per_student_quiz (student, quiz), not again on its own.
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_allowances", db_index=False
    )
    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="allowances")
    extra_attempts = models.PositiveSmallIntegerField(default=0)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "quiz"], name="one_allowance_per_student_quiz")]

    def __str__(self):
        return f"{self.student} · {self.quiz} +{self.extra_attempts}"


class Response(models.Model):
    """The learner's answer to one question of an attempt, scored on submit."""

    # Indexed by one_response_per_question (attempt, question), not again on its own.
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses", db_index=False)
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="responses")
    answer = models.JSONField(null=True, blank=True)
    score = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    max_score = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="one_response_per_question")]

    def __str__(self):
        return f"{self.attempt_id}/{self.question_id}"

    def save(self, *args, **kwargs):
        if self.attempt_id and Attempt.objects.filter(pk=self.attempt_id, status=Attempt.Status.SUBMITTED).exists():
            raise ValueError("A submitted attempt's responses cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def fraction(self):
        if not self.max_score:
            return Decimal(0)
        return self.score / self.max_score


# --------------------------------------------------------------------------- statistics


class ItemStatistic(models.Model):
    """Per-question statistics over all learners, for one scope: a quiz, or the question
    across all quizzes (quiz null). Rebuilt by tasks.recompute_item_statistics. (Per-class
    rows are learning's: learning.ClassItemStatistic.)"""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="statistics")
    quiz = models.ForeignKey(QuizPage, null=True, blank=True, on_delete=models.CASCADE, related_name="item_statistics")
    # "all" or "quiz:<id>": one unique key whatever is null.
    scope = models.CharField(max_length=64)
    responses = models.PositiveIntegerField(default=0)
    facility = models.FloatField(default=0)
    discrimination = models.FloatField(null=True, blank=True)
    option_counts = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "scope"], name="item_statistic_scope")]

    def __str__(self):
        return f"{self.question} ({self.quiz_id or 'all'})"


class Regrade(models.Model):
    """An editor's request to grade a quiz's attempts again against the bank as it stands, and
    what it changed (quizzes.regrade; run by the quizzes.regrade_quiz task)."""

    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="regrades")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    checked = models.PositiveIntegerField(default=0)
    outdated = models.PositiveIntegerField(default=0)
    rescored = models.PositiveIntegerField(default=0)
    pass_changed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # A double click, or two moderators at once, asks for one run: the one already waiting.
            models.UniqueConstraint(fields=["quiz"], condition=Q(finished_at__isnull=True), name="one_waiting_regrade")
        ]

    def __str__(self):
        return f"{self.quiz} · {self.requested_at:%Y-%m-%d %H:%M}"
