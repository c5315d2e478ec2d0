"""The quiz engine's data: the question bank (snippets), quiz pages, attempts, statistics."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, RevisionMixin
from wagtail.search import index

from . import scoring

AGE_BANDS = ["A", "B", "C", "D"]


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey("quizzes.Question", on_delete=models.CASCADE, related_name="tagged_items")


class Question(RevisionMixin, index.Indexed, ClusterableModel):
    """One bank question. Choices are its options (steps for ordering, items for red flags)."""

    class Type(models.TextChoices):
        SINGLE = scoring.SINGLE, _("Single choice")
        MULTIPLE = scoring.MULTIPLE, _("Multiple select")
        TRUEFALSE = scoring.TRUEFALSE, _("True or false")
        ORDERING = scoring.ORDERING, _("Put in order")
        REDFLAGS = scoring.REDFLAGS, _("Spot the red flags")

    title = models.CharField(_("title"), max_length=255)
    qtype = models.CharField(_("type"), max_length=16, choices=Type.choices, default=Type.SINGLE)
    text = models.TextField(_("question text"))
    scenario = models.TextField(
        _("scenario"),
        blank=True,
        help_text=_("Red flags only: the message, post or screen the learner inspects."),
    )
    explanation = models.TextField(_("explanation"), blank=True, help_text=_("Shown after submission."))
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=Decimal("1"))
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

    panels = [
        FieldPanel("title"),
        FieldPanel("qtype"),
        FieldPanel("text"),
        FieldPanel("scenario"),
        InlinePanel("choices", label=_("Options"), min_num=2),
        FieldPanel("explanation"),
        MultiFieldPanel(
            [
                FieldPanel("points"),
                FieldPanel("topic"),
                FieldPanel("age_bands"),
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

    def key(self, choices=None) -> scoring.QuestionKey:
        """The scoring key (server side only). `choices` may be prefetched, in order."""
        choices = list(self.choices.all()) if choices is None else choices
        return scoring.QuestionKey(
            qtype=self.qtype,
            points=Fraction(self.points),
            choices=tuple(
                scoring.ChoiceKey(
                    id=c.pk,
                    correct=c.correct,
                    weight=None if c.weight is None else Fraction(c.weight) / 100,
                )
                for c in choices
            ),
        )


class Choice(Orderable):
    """An option. For ordering questions the sort order is the correct order;
    for red flags `correct` means "risky"."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.TextField(_("text"))
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

    panels = [
        FieldPanel("text"),
        FieldPanel("correct"),
        FieldPanel("weight"),
        FieldPanel("feedback"),
    ]

    def __str__(self):
        return self.text[:60]
