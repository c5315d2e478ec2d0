"""The curriculum as Wagtail pages: CourseIndexPage (catalogue) > CoursePage > LessonPage.

Quiz pages (quizzes.QuizPage) sit under a CoursePage beside its lessons.
LessonCompletion is the minimal "done" record a learner makes on a lesson page.

Each page builds its own context from its reads (CourseIndexPage.catalogue, CoursePage.outline,
LessonPage.navigation, completed_lesson_ids), a fixed number of queries whatever the catalogue
size; reads other apps use live in courses/selectors.py, above this module.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.coreutils import resolve_model_string
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from accounts.roles import Role

from .blocks import (
    AGE_VERSIONS,
    AgeVersionsBlock,
    FamilyLetterBlock,
    FamilyPromptBlock,
    LessonStreamBlock,
    ObjectiveBlock,
    TeacherGuideBlock,
)
from .forms import CurriculumPageForm
from .i18n import (
    FallbackRouteMixin,
    active_locale_id,
    in_active_language,
    language_fallback,
    locale_ids,
    source_ids,
    source_page,
)
from .standards import module_standards


class Topic(models.TextChoices):
    """The module topics; the values match TOPICS in courses/curriculum/check.py."""

    CITIZENSHIP = "citizenship", _("Digital citizenship")
    PRIVACY = "privacy", _("Privacy and personal information")
    PASSWORDS = "passwords", _("Passwords and account security")
    FOOTPRINT = "footprint", _("Digital footprint")
    RUMOURS = "rumours", _("Rumours and fact-checking")
    SCAMS = "scams", _("Scams and fraud")
    CYBERBULLYING = "cyberbullying", _("Cyberbullying")
    SCREEN_TIME = "screen-time", _("Healthy use and screen time")
    RELATIONSHIPS = "relationships", _("Online relationships")
    LAW = "law", _("The law and your rights")
    CREATIVITY_AI = "creativity-ai", _("Creators and AI")

    @classmethod
    def name_of(cls, value: str) -> str:
        """A topic as people read it: a curriculum topic's name in the active language, any
        other value (an editor's own, an import's category) as written."""
        return str(cls(value).label) if value in cls.values else value


class AgeBand(models.TextChoices):
    A = "A", _("Ages 9–10 (band A)")
    B = "B", _("Ages 11–12 (band B)")
    C = "C", _("Ages 13–15 (band C)")
    D = "D", _("Ages 16–18 (band D)")


# The years each band letter stands for: readers see ages, never the bare letters.
BAND_AGES = {"A": (9, 10), "B": (11, 12), "C": (13, 15), "D": (16, 18)}
BANDS_HELP = _("Letters A-D: A ages 9–10, B 11–12, C 13–15, D 16–18.")


def ages_label(letters) -> str:
    """'Ages 9–15' for ABC, 'Ages 9–10, 16–18' for AD: neighbouring bands join into one span."""
    spans: list[list[int]] = []
    for letter in sorted(set(letters or "") & BAND_AGES.keys()):
        low, high = BAND_AGES[letter]
        if spans and spans[-1][1] + 1 == low:
            spans[-1][1] = high
        else:
            spans.append([low, high])
    if not spans:
        return ""
    return _("Ages %(ranges)s") % {"ranges": ", ".join(f"{low}–{high}" for low, high in spans)}


band_letters = RegexValidator(r"^[A-D]{1,4}$", _("Use the letters A-D, e.g. ABC."))
dimension_letters = RegexValidator(r"^[A-Z]{0,8}$", _("Use capital letters, e.g. MLU."))


def _letters(value: str) -> list[str]:
    return sorted(set(value or ""))


# The literacy dimensions of Art. 13 of the Regulations on the Protection of Minors Online
# (未成年人网络保护条例), as /work/shared/curriculum.md codes them.
DIMENSIONS = {
    "M": _("moral awareness"),
    "L": _("rule-of-law awareness"),
    "U": _("ability to use the internet"),
    "S": _("personal and property safety"),
}


# Who sees teachers' material (guides, print views, family letters): never students or guardians.
GUIDE_ROLES = (Role.TEACHER, Role.SCHOOL_ADMIN, Role.EDITOR)


def shows_teacher_material(user) -> bool:
    return user.is_authenticated and getattr(user, "role", None) in GUIDE_ROLES


def _staff_tabs(page_class, heading, panels, extra=()):
    """Wagtail's usual Content / Promote / Settings tabs, plus one tab for teachers' material
    (and `extra` (heading, panels) tabs after it)."""
    return TabbedInterface(
        [
            ObjectList(page_class.content_panels, heading=_("Content")),
            ObjectList(panels, heading=heading),
            *(ObjectList(more, heading=more_heading) for more_heading, more in extra),
            ObjectList(page_class.promote_panels, heading=_("Promote")),
            ObjectList(page_class.settings_panels, heading=_("Settings"), classname="settings"),
        ]
    )


class CourseIndexPage(FallbackRouteMixin, Page):
    """The catalogue: every published course, filtered by ?topic= and ?band=."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CoursePage"]
    template = "courses/course_index_page.html"

    class Meta:
        verbose_name = _("course catalogue")

    def catalogue(self, *, topic=None, band=None) -> dict:
        """Live courses under this catalogue, filtered by topic value and band letter.

        A translated catalogue lists every English course, each in the catalogue's language
        where it has been translated (the others in English, marked by their `locale`)."""
        source_index = source_page(self)
        courses = (
            CoursePage.objects.child_of(source_index).live().public().select_related("cover_image").order_by("path")
        )
        topic = topic if topic in Topic.values else ""
        band = band if band in AgeBand.values else ""
        if topic:
            courses = courses.filter(topic=topic)
        if band:
            courses = courses.filter(age_bands__contains=band)
        courses = list(courses)
        if source_index.pk != self.pk:
            courses = in_active_language(courses, self.locale, related=["cover_image"])
        return {
            "courses": courses,
            "topics": Topic.choices,
            "bands": AgeBand.choices,
            "selected_topic": topic,
            "selected_band": band,
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.catalogue(topic=request.GET.get("topic"), band=request.GET.get("band")))
        context["language_fallback"] = language_fallback(self)
        return context


class CoursePageTag(TaggedItemBase):
    content_object = ParentalKey("courses.CoursePage", related_name="tagged_items", on_delete=models.CASCADE)


class CoursePage(FallbackRouteMixin, Page):
    """One module of the curriculum (M1..M11)."""

    module_code = models.CharField(_("module code"), max_length=8, blank=True)
    title_zh = models.CharField(_("Chinese title"), max_length=120, blank=True)
    summary = models.TextField(_("summary"), help_text=_("One or two sentences."))
    why_it_matters = models.TextField(_("why it matters"), blank=True)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    age_bands = models.CharField(
        _("age bands"),
        max_length=4,
        default="ABCD",
        validators=[band_letters],
        help_text=_("Letters A-D: A about 9-10, B 11-12, C 13-15, D 16-18."),
    )
    dimensions = models.CharField(_("literacy dimensions"), max_length=8, blank=True, validators=[dimension_letters])
    objectives = StreamField([("objective", ObjectiveBlock())], blank=True, verbose_name=_("learning objectives"))
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=30)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    cover_alt = models.CharField(
        _("cover image alt text"),
        max_length=250,
        blank=True,
        help_text=_("Required with a cover image: what does it show?"),
    )
    family_prompts = StreamField(
        [("prompt", FamilyPromptBlock())],
        blank=True,
        verbose_name=_("talk about it at home"),
    )
    family_letter = StreamField(
        [("letter", FamilyLetterBlock())],
        blank=True,
        max_num=1,
        verbose_name=_("family letter"),
        help_text=_("A one-page letter home that teachers print; never shown to learners."),
    )
    tags = ClusterTaggableManager(through=CoursePageTag, blank=True)
    # Fingerprint of the curriculum file section this page was last loaded from.
    curriculum_hash = models.CharField(max_length=64, blank=True, editable=False)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("module_code"),
                FieldPanel("title_zh"),
                FieldPanel("topic"),
                FieldPanel("age_bands", help_text=BANDS_HELP),
                FieldPanel("dimensions"),
                FieldPanel("estimated_minutes"),
                FieldPanel("tags"),
            ],
            heading=_("About this course"),
        ),
        FieldPanel("summary"),
        FieldPanel("why_it_matters"),
        FieldPanel("objectives"),
        MultiFieldPanel([FieldPanel("cover_image"), FieldPanel("cover_alt")], heading=_("Cover")),
        FieldPanel("family_prompts"),
    ]
    teacher_panels = [FieldPanel("family_letter")]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("why_it_matters"),
        index.SearchField("title_zh"),
        index.FilterField("topic"),
        index.FilterField("age_bands"),
    ]
    base_form_class = CurriculumPageForm
    parent_page_types = ["courses.CourseIndexPage"]
    # "quizzes.QuizPage" by name: the one upward reference, listed in tests/test_design_rules.py.
    subpage_types = ["courses.LessonPage", "quizzes.QuizPage"]
    template = "courses/course_page.html"

    class Meta:
        verbose_name = _("course")

    @classmethod
    def clean_subpage_models(cls):
        """Like Page's, but tolerates quizzes.QuizPage not existing (yet)."""
        if cls._clean_subpage_models is None:
            found = []
            for name in cls.subpage_types:
                try:
                    found.append(resolve_model_string(name, cls._meta.app_label))
                except (LookupError, ValueError):
                    continue
            cls._clean_subpage_models = found
        return cls._clean_subpage_models

    def clean(self):
        super().clean()
        if self.cover_image_id and not self.cover_alt.strip():
            raise ValidationError({"cover_alt": _("A cover image needs alt text.")})

    @property
    def age_band_list(self) -> list[str]:
        return _letters(self.age_bands)

    @property
    def ages(self) -> str:
        return ages_label(self.age_bands)

    @property
    def dimension_list(self) -> list[str]:
        return _letters(self.dimensions)

    @property
    def topic_label(self) -> str:
        return Topic.name_of(self.topic)

    @property
    def letter(self):
        """The family letter's value (a StructValue), or None when it has not been written."""
        return self.family_letter[0].value if self.family_letter else None

    @property
    def fallback_title_zh(self) -> str:
        """`title_zh` for a Chinese reader shown this English course because it has no Chinese
        version yet (beside the English title); '' for everyone else, who read the page's own
        title only. No query."""
        zh = locale_ids().get("zh-hans")
        if self.title_zh and zh is not None and self.locale_id != zh and active_locale_id() == zh:
            return self.title_zh
        return ""

    def lessons(self):
        """Live lessons in tree order."""
        return LessonPage.objects.child_of(self).live().order_by("path")

    def _live_lessons(self) -> list:
        return list(
            LessonPage.objects.child_of(self)
            .live()
            .public()
            .order_by("path")
            .only(
                "id",
                "title",
                "slug",
                "url_path",
                "path",
                "depth",
                "objective",
                "minutes",
                "translation_key",
                "locale_id",
            )
        )

    def outline_lessons(self) -> list:
        """The lessons a learner reading this course must finish, in order. For a translation,
        the English course's lessons (completion counts those: learning.progress), each in
        this course's language where it has a live translation and in English where it has
        none yet, so a lesson not yet translated is still listed rather than silently missing
        (see _as_followed)."""
        return self._as_followed(self._live_lessons(), lambda course: course._live_lessons())

    def _live_activities(self) -> list:
        """The course's live pages that are not lessons (its quizzes), in tree order, specific."""
        return list(
            Page.objects.child_of(self)
            .live()
            .public()
            .exclude(content_type__model="lessonpage", content_type__app_label="courses")
            .order_by("path")
            .specific()
        )

    def outline_activities(self) -> list:
        """The course's quizzes (and any other activity), as outline_lessons gives its lessons,
        so a course translated before its quiz still leads on to the quiz."""
        return self._as_followed(self._live_activities(), lambda course: course._live_activities())

    def _as_followed(self, own: list, children) -> list:
        """`own` (this course's pages of one kind) as a reader of this course follows them. The
        English course's own: `own`. A translation: the English course's (`children(course)`),
        each replaced by its live, public translation here where it has one, and pages only the
        translation has in the English course's order (one unpublished there for a rewrite keeps
        its place), else at the end. A private translation never takes a public page's place."""
        source = source_page(self)
        if source.pk == self.pk:
            return own
        pages = in_active_language(children(source), self.locale)
        keys = {page.translation_key for page in pages}
        extras = [page for page in own if page.translation_key not in keys]
        if not extras:
            return pages
        place = {
            key: i
            for i, key in enumerate(
                Page.objects.child_of(source).order_by("path").values_list("translation_key", flat=True)
            )
        }
        return sorted(pages + extras, key=lambda page: place.get(page.translation_key, len(place)))

    def outline(self, *, user) -> dict:
        """The course's lessons with the learner's status on each (`fallback`: shown in English,
        not yet translated), plus other activities (quizzes) under the course."""
        lessons = self.outline_lessons()
        done = completed_lesson_ids(user=user, lessons=lessons)
        rows = [
            {"lesson": lesson, "done": lesson.pk in done, "fallback": lesson.locale_id != self.locale_id}
            for lesson in lessons
        ]
        others = self.outline_activities()
        # A quiz page marked as a pre-check (quizzes.QuizPage.is_precheck; read by duck typing,
        # as courses never imports quizzes) shows before lesson 1, not with the activities.
        precheck = next((p for p in others if getattr(p, "is_precheck", False)), None)
        return {
            "lesson_rows": rows,
            "precheck": precheck,
            "activities": [p for p in others if p is not precheck],
            "done_count": len(done),
            "lesson_count": len(lessons),
            "percent_done": round(100 * len(done) / len(lessons)) if lessons else 0,
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.outline(user=request.user))
        context["language_fallback"] = language_fallback(self)
        context["teacher_material"] = shows_teacher_material(request.user)
        context["standards"] = module_standards(self.module_code, get_language() or settings.LANGUAGE_CODE)
        return context


class LessonPage(Page):
    objective = models.CharField(_("objective"), max_length=300)
    bands = models.CharField(_("age bands"), max_length=4, default="ABCD", validators=[band_letters])
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=10)
    teacher_notes = models.TextField(
        _("the law and facts behind it"), blank=True, help_text=_("Shown to teachers and editors only.")
    )
    dimensions = models.CharField(
        _("literacy dimensions"),
        max_length=8,
        blank=True,
        validators=[dimension_letters],
        help_text=_("Art. 13 dimensions the lesson serves: M, L, U, S."),
    )
    teacher_guide = StreamField(
        [("guide", TeacherGuideBlock())],
        blank=True,
        max_num=1,
        verbose_name=_("teacher guide"),
        help_text=_("Shown to teachers, school admins and editors only."),
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("lesson"))
    age_versions = StreamField(
        AgeVersionsBlock(),
        blank=True,
        verbose_name=_("age versions"),
        help_text=_(
            "Optional: a younger (ages 9–12) and an older (ages 13–18) version of the lesson's first "
            "scenario, each with examples for that age. Learners see the version for their grade; "
            "without a known grade they see the lesson as written above."
        ),
    )
    curriculum_hash = models.CharField(max_length=64, blank=True, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("objective"),
        FieldPanel("bands", help_text=BANDS_HELP),
        FieldPanel("minutes"),
        FieldPanel("body"),
    ]
    teacher_panels = [FieldPanel("dimensions"), FieldPanel("teacher_guide"), FieldPanel("teacher_notes")]
    age_version_panels = [
        HelpPanel(
            content=_(
                "A version replaces the lesson's first “What would you do?” scenario and adds examples "
                "right after it. Write a different situation for each age, not the same one reworded: "
                "short sentences and everyday words for ages 9–12; longer sentences and precise terms "
                "for ages 13–18. The Chinese page holds its own versions."
            )
        ),
        FieldPanel("age_versions"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("objective"),
        index.SearchField("body"),
    ]
    base_form_class = CurriculumPageForm
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    template = "courses/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")

    def save(self, *args, **kwargs):
        # Bind every block before saving so text written as raw data (imports, the seed,
        # the API) goes through SafeRichTextBlock's sanitiser too.
        for _block in self.body:
            pass
        return super().save(*args, **kwargs)

    @property
    def band_list(self) -> list[str]:
        return _letters(self.bands)

    @property
    def dimension_list(self) -> list[str]:
        return [d for d in "MLUS" if d in (self.dimensions or "")]

    @property
    def guide(self):
        """The teacher guide's value (a StructValue), or None when it has not been written."""
        return self.teacher_guide[0].value if self.teacher_guide else None

    @cached_property
    def course(self):
        return self.get_parent().specific

    def followed_course(self) -> tuple:
        """(course, its outline_lessons()) as the reader follows them: the parent course, or for
        a lesson shown in another language than the reader's (not translated yet) the parent's
        live translation in the reader's language, whose outline lists this lesson in its place."""
        course = self.course
        wanted = active_locale_id()
        if wanted is not None and course.locale_id != wanted:
            translated = (
                CoursePage.objects.live()
                .public()
                .filter(translation_key=course.translation_key, locale_id=wanted)
                .first()
            )
            if translated is not None:
                lessons = translated.outline_lessons()
                if any(lesson.translation_key == self.translation_key for lesson in lessons):
                    return translated, lessons
        return course, course.outline_lessons()

    def navigation(self, *, user) -> dict:
        """Previous and next lessons in the course's outline (CoursePage.outline_lessons, so a
        Chinese reader is led through a lesson not translated yet, in English), and whether
        `user` is done."""
        course, lessons = self.followed_course()
        keys = [lesson.translation_key for lesson in lessons]
        position = keys.index(self.translation_key) if self.translation_key in keys else None
        previous_lesson = next_lesson = None
        if position is not None:
            previous_lesson = lessons[position - 1] if position > 0 else None
            next_lesson = lessons[position + 1] if position + 1 < len(lessons) else None
        next_activity = None
        if position is not None and next_lesson is None:
            # The last lesson leads on to the course's quiz (or other activity), never a dead end.
            # Never the pre-check (it belongs before lesson 1; see CoursePage.outline).
            next_activity = next((p for p in course.outline_activities() if not getattr(p, "is_precheck", False)), None)
        return {
            "course": course,
            "previous_lesson": previous_lesson,
            "next_lesson": next_lesson,
            "next_activity": next_activity,
            "lesson_position": (position or 0) + 1,
            "lesson_total": len(lessons),
            "is_done": self.pk in completed_lesson_ids(user=user, lessons=[self]),
        }

    @property
    def age_version_names(self) -> list[str]:
        """The age versions this lesson has ("younger", "older"), in that order."""
        found = {block.block_type for block in self.age_versions}
        return [name for name in AGE_VERSIONS if name in found]

    def age_version_value(self, name):
        """The version's value (a StructValue: scenario, examples), or None."""
        for block in self.age_versions:
            if block.block_type == name:
                return block.value
        return None

    def age_version(self, request) -> str | None:
        """Which age version `request`'s reader sees: staff choose with ?version=younger|older|standard
        (a preview, default the lesson as written); everyone else gets what the apps registered
        for the "lesson_age_version" hook decide (learning: an assignment's choice, else the
        student's grade), the first answer that names a version this lesson has. None is the
        lesson as written. No query for a lesson without versions."""
        names = self.age_version_names
        if not names:
            return None
        if shows_teacher_material(request.user):
            wanted = request.GET.get("version")
            return wanted if wanted in names else None
        for fn in hooks.get_hooks("lesson_age_version"):
            wanted = fn(request, self)
            if wanted:
                return wanted if wanted in names else None
        return None

    def age_version_context(self, request) -> dict:
        """What the lesson templates need to show a version: `age_version` (its name),
        `age_version_block` (scenario and examples), `age_version_index` (the body position of
        the first scenario, which the version replaces) and `age_version_previews` for staff."""
        name = self.age_version(request)
        index_of_scenario = next((i for i, b in enumerate(self.body) if b.block_type == "scenario"), None)
        previews = self.age_version_names if shows_teacher_material(request.user) else []
        value = self.age_version_value(name) if name and index_of_scenario is not None else None
        return {
            "age_version": name if value is not None else None,
            "age_version_block": value,
            "age_version_index": index_of_scenario if value is not None else -1,
            "age_version_previews": previews,
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.navigation(user=request.user))
        context["language_fallback"] = language_fallback(self)
        context["teacher_material"] = shows_teacher_material(request.user)
        context.update(self.age_version_context(request))
        return context


class LessonCompletion(models.Model):
    """A learner marked a lesson as done. One row per learner and lesson."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="unique_lesson_completion")]
        indexes = [models.Index(fields=["user", "completed_at"])]

    def __str__(self):
        return f"{self.user} completed {self.lesson_id}"


def completed_lesson_ids(*, user, lessons=None) -> set[int]:
    """Ids of the lessons `user` marked as done (optionally only among `lessons`, which may
    be translations: a zh-hans lesson is done when its English source is)."""
    if not user.is_authenticated:
        return set()
    qs = LessonCompletion.objects.filter(user=user)
    if lessons is None:
        return set(qs.values_list("lesson_id", flat=True))
    to_source = source_ids(lessons)
    done = set(qs.filter(lesson_id__in=set(to_source.values())).values_list("lesson_id", flat=True))
    return {pk for pk, source in to_source.items() if source in done}


class TranslationReview(models.Model):
    """A translated page (zh-hans) whose English source was published again after it: the
    translation may be out of date. Set on publishing the English page, cleared when the
    translation is next published (courses/receivers.py); listed on the admin dashboard."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="translation_review")
    source = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    source_published_at = models.DateTimeField(_("English version published at"))

    class Meta:
        verbose_name = _("translation needing review")
        verbose_name_plural = _("translations needing review")

    def __str__(self):
        return f"review {self.page_id} (source {self.source_id})"


CoursePage.edit_handler = _staff_tabs(CoursePage, _("Family letter"), CoursePage.teacher_panels)
LessonPage.edit_handler = _staff_tabs(
    LessonPage,
    _("Teacher guide"),
    LessonPage.teacher_panels,
    extra=[(_("Age versions"), LessonPage.age_version_panels)],
)
