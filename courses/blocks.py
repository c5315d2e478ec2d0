"""StreamField blocks for lessons. Every block renders as plain, accessible HTML that
works without JavaScript (the scenario reveals feedback with <details>)."""

import hashlib
import random
import re
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText
from wagtail.whitelist import Whitelister, allow_without_attributes, attribute_rule, check_url

from . import illustrations

# The only rich text features editors get: enough for teaching, nothing that can run code.
RICH_TEXT_FEATURES = ["bold", "italic", "h3", "ol", "ul", "link"]


def _check_href(value):
    """Keep http(s)/mailto and Wagtail's internal links; drop javascript:, data: and the like."""
    url = check_url(value)
    if url is None:
        return None
    scheme = urlparse(url.strip().lower()).scheme
    return url if scheme in ("", "http", "https", "mailto") else None


class LessonHTMLWhitelister(Whitelister):
    """Strips scripts, styles, event-handler attributes and unsafe links from lesson HTML."""

    element_rules = {
        "[document]": allow_without_attributes,
        "a": attribute_rule({"href": _check_href, "linktype": True, "id": True}),
        "b": allow_without_attributes,
        "strong": allow_without_attributes,
        "i": allow_without_attributes,
        "em": allow_without_attributes,
        "br": allow_without_attributes,
        "p": allow_without_attributes,
        "h3": allow_without_attributes,
        "ul": allow_without_attributes,
        "ol": allow_without_attributes,
        "li": allow_without_attributes,
    }
    # Dropped with their contents (the default only unwraps unknown tags).
    removed_with_contents = {"script", "style", "iframe", "object", "embed", "template", "noscript"}

    def clean_tag_node(self, doc, tag):
        if tag.name in self.removed_with_contents:
            tag.decompose()
            return
        super().clean_tag_node(doc, tag)


def sanitise_html(html: str) -> str:
    """Lesson-safe HTML: only the tags and attributes LessonHTMLWhitelister allows."""
    return LessonHTMLWhitelister().clean(html or "")


class SafeRichTextBlock(blocks.RichTextBlock):
    """Rich text with limited features, sanitised whenever it is saved or rendered, so even
    HTML written straight to the database (imports, the seed) cannot carry script."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    def get_prep_value(self, value):
        return sanitise_html(super().get_prep_value(value))

    def to_python(self, value):
        return RichText(sanitise_html(value))

    def clean(self, value):
        value = super().clean(value)
        return RichText(sanitise_html(value.source))

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/rich_text_block.html"
        label = _("Text")


class LessonImageBlock(blocks.StructBlock):
    """An image must say what it shows: alt text is required, decorative images are not
    lesson content."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alt text"),
        max_length=250,
        help_text=_("Describe what the image shows for someone who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    def clean(self, value):
        errors = {}
        if not (value.get("alt_text") or "").strip():
            errors["alt_text"] = ValidationError(_("Every lesson image needs alt text."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return super().clean(value)

    class Meta:
        icon = "image"
        template = "courses/blocks/image_block.html"
        label = _("Image")


VIDEO_HOSTS = {
    "www.youtube.com": "youtube",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "www.youtube-nocookie.com": "youtube",
    "www.bilibili.com": "bilibili",
    "player.bilibili.com": "bilibili",
}


def video_embed_url(url: str) -> str | None:
    """The privacy-friendly player URL for a YouTube or Bilibili link, else None."""
    parsed = urlparse(url or "")
    host = VIDEO_HOSTS.get(parsed.netloc.lower())
    if parsed.scheme != "https" or not host:
        return None
    if host == "youtube":
        if parsed.netloc == "youtu.be":
            video_id = parsed.path.strip("/")
        elif parsed.path.startswith("/embed/"):
            video_id = parsed.path.split("/")[2]
        else:
            video_id = (parse_qs(parsed.query).get("v") or [""])[0]
        if not video_id.replace("-", "").replace("_", "").isalnum():
            return None
        return f"https://www.youtube-nocookie.com/embed/{video_id}"
    if parsed.netloc == "player.bilibili.com":
        bvid = (parse_qs(parsed.query).get("bvid") or [""])[0]
    else:
        parts = [p for p in parsed.path.split("/") if p]
        bvid = parts[1] if len(parts) > 1 and parts[0] == "video" else ""
    if not bvid.isalnum():
        return None
    return f"https://player.bilibili.com/player.html?bvid={bvid}&autoplay=0"


class VideoBlock(blocks.StructBlock):
    """A video from YouTube or Bilibili, always with a transcript for those who cannot
    play or hear it."""

    url = blocks.URLBlock(label=_("Video link (YouTube or Bilibili)"))
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    transcript = blocks.TextBlock(label=_("Transcript"))

    def clean(self, value):
        value = super().clean(value)
        if not video_embed_url(value.get("url")):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Use an https YouTube or Bilibili video link."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed_url"] = video_embed_url(value.get("url"))
        return context

    class Meta:
        icon = "media"
        template = "courses/blocks/video_block.html"
        label = _("Video")


class CalloutBlock(blocks.StructBlock):
    KINDS = [
        ("tip", _("Tip")),
        ("warning", _("Warning")),
        ("remember", _("Remember")),
        ("help", _("Get help")),
    ]
    kind = blocks.ChoiceBlock(choices=KINDS, default="tip", label=_("Kind"))
    title = blocks.CharBlock(label=_("Title"), max_length=120, required=False)
    text = blocks.TextBlock(label=_("Text"))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["kind_label"] = dict(self.KINDS).get(value.get("kind"), "")
        return context

    class Meta:
        icon = "warning"
        template = "courses/blocks/callout_block.html"
        label = _("Callout")


class ScenarioChoiceBlock(blocks.StructBlock):
    VERDICTS = [
        ("good", _("Good choice")),
        ("partly", _("Partly right")),
        ("bad", _("Risky choice")),
    ]
    text = blocks.CharBlock(label=_("Choice"), max_length=300)
    verdict = blocks.ChoiceBlock(choices=VERDICTS, label=_("Verdict"))
    feedback = blocks.TextBlock(label=_("Feedback"), required=False)

    def clean(self, value):
        if not (value.get("feedback") or "").strip():
            raise StructBlockValidationError(
                block_errors={
                    "feedback": ValidationError(_("Every choice needs feedback that explains it, right or wrong."))
                }
            )
        return super().clean(value)

    class Meta:
        icon = "radio-full"
        label = _("Choice")


SCENARIO_HEADING = _("What would you do?")


def drop_repeat(text: str, phrase, *, at_end: bool = False) -> str:
    """`text` without `phrase` at its start (or end) when the block already shows that phrase
    as its heading or verdict: a screen reader would otherwise read it twice ("Good choice
    Good choice. The report helps…"). Text that is only the phrase is kept."""
    text, phrase = (text or "").strip(), str(phrase).strip()
    if at_end:
        match = re.search(r"\s*" + re.escape(phrase) + r"\s*$", text, re.IGNORECASE)
        rest = text[: match.start()] if match else text
    else:
        bare = phrase.rstrip("?？.。!！")
        match = re.match(re.escape(bare) + r"[\s.!:,;?。！：，；？]*", text, re.IGNORECASE)
        rest = text[match.end() :] if match else text
        if match and rest[:1].islower():
            rest = rest[0].upper() + rest[1:]
    return rest if rest.strip() else text


def scenario_order(count: int, *, user_id, lesson_key, block_index) -> list[int]:
    """The order a learner sees a scenario's choices in: shuffled by a hash of (user, lesson,
    block position), so it is the same on every visit and in both languages (the lesson's
    translation_key), differs between learners, and needs no JavaScript or stored state."""
    digest = hashlib.sha256(f"{user_id or 0}:{lesson_key}:{block_index}".encode()).digest()
    order = list(range(count))
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(order)
    return order


class ScenarioBlock(blocks.StructBlock):
    """'What would you do?': every choice explains itself, right or wrong. No score."""

    prompt = blocks.TextBlock(label=_("Situation"))
    choices = blocks.ListBlock(ScenarioChoiceBlock(), min_num=2, max_num=4, label=_("Choices"))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        labels = dict(ScenarioChoiceBlock.VERDICTS)
        choices = []
        for choice in value.get("choices") or []:
            label = labels.get(choice.get("verdict"), "")
            feedback = drop_repeat(choice.get("feedback"), label) if label else choice.get("feedback")
            choices.append({**dict(choice), "verdict_label": label, "feedback": feedback})
        context["prompt"] = drop_repeat(value.get("prompt"), SCENARIO_HEADING, at_end=True)
        parent = parent_context or {}
        page, request, loop = parent.get("page"), parent.get("request"), parent.get("forloop") or {}
        if page is not None:
            user = getattr(request, "user", None)
            order = scenario_order(
                len(choices),
                user_id=getattr(user, "pk", None),
                lesson_key=getattr(page, "translation_key", None) or page.pk,
                block_index=loop.get("counter0", 0),
            )
            choices = [choices[i] for i in order]
        context["choices"] = choices
        return context

    class Meta:
        icon = "help"
        template = "courses/blocks/scenario_block.html"
        label = _("Scenario: what would you do?")


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    items = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1, label=_("Items"))

    class Meta:
        icon = "tasks"
        template = "courses/blocks/checklist_block.html"
        label = _("Checklist")


class GlossaryBlock(blocks.StructBlock):
    term = blocks.CharBlock(label=_("Term"), max_length=120)
    definition = blocks.TextBlock(label=_("Definition"))

    class Meta:
        icon = "openquote"
        template = "courses/blocks/glossary_block.html"
        label = _("Glossary term")


class TakeawaysBlock(blocks.StructBlock):
    items = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1, max_num=5, label=_("Key takeaways"))

    class Meta:
        icon = "list-ul"
        template = "courses/blocks/takeaways_block.html"
        label = _("Key takeaways")


class FamilyPromptBlock(blocks.StructBlock):
    """'Talk about it at home': a question and a small shared action, never asking for
    private details."""

    question = blocks.TextBlock(label=_("Question"))
    action = blocks.TextBlock(label=_("Something to do together"))

    class Meta:
        icon = "group"
        template = "courses/blocks/family_prompt_block.html"
        label = _("Family prompt")


SCREEN_ALT_MAX = 300  # courses/curriculum/check.py SCREEN_ALT_MAX must match


class ScreenItemBlock(blocks.StructBlock):
    """One message, comment, notification or requested permission on a drawn screen."""

    SIDES = [("them", _("Them (left)")), ("me", _("Me (right)"))]
    side = blocks.ChoiceBlock(
        choices=SIDES, default="them", label=_("Side"), help_text=_("Chats only: who sends the message.")
    )
    name = blocks.CharBlock(
        label=_("Name"),
        max_length=60,
        required=False,
        help_text=_("The sender in a group chat, the person commenting on a post, or the app of a notification."),
    )
    title = blocks.CharBlock(label=_("Title"), max_length=120, required=False, help_text=_("Notifications only."))
    text = blocks.TextBlock(label=_("Text"))
    meta = blocks.CharBlock(
        label=_("Time or note"), max_length=40, required=False, help_text=_("For example 21:47, 2 h or Yesterday.")
    )

    class Meta:
        icon = "comment"
        label = _("Item")


class ScreenBlock(blocks.StructBlock):
    """A drawn phone screen (a chat, a post, notifications, a permission request) for the
    red-flag and scenario moments: text stays real text, alt text names the picture and
    a hidden transcript reads every item (courses/illustrations.py)."""

    KINDS = [
        ("chat", _("Chat")),
        ("post", _("Social post")),
        ("notification", _("Notifications on a lock screen")),
        ("permission", _("App asking for permissions")),
    ]
    kind = blocks.ChoiceBlock(choices=KINDS, default="chat", label=_("Kind of screen"))
    title = blocks.CharBlock(
        label=_("Title"),
        max_length=60,
        required=False,
        help_text=_(
            "The contact or group (chat), the account (post), the time on the lock screen "
            "(notifications) or the app (permissions)."
        ),
    )
    items = blocks.ListBlock(
        ScreenItemBlock(),
        min_num=1,
        max_num=8,
        label=_("Items"),
        help_text=_("A post's first item is the post itself, the others are comments."),
    )
    likes = blocks.IntegerBlock(label=_("Likes"), min_value=0, required=False, help_text=_("Posts only."))
    comments = blocks.IntegerBlock(
        label=_("Comment count"),
        min_value=0,
        required=False,
        help_text=_("Posts only; empty counts the comments shown."),
    )
    alt = blocks.CharBlock(
        label=_("Alt text"),
        max_length=SCREEN_ALT_MAX,
        help_text=_("What the picture shows, in a sentence, for someone who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), max_length=250, required=False)

    def clean(self, value):
        if not (value.get("alt") or "").strip():
            raise StructBlockValidationError(
                block_errors={"alt": ValidationError(_("Every drawn screen needs alt text."))}
            )
        return super().clean(value)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["screen"] = illustrations.render_screen(
            value.get("kind") or "chat",
            value.get("title") or "",
            [dict(item) for item in value.get("items") or []],
            alt=value.get("alt") or "",
            caption=value.get("caption") or "",
            likes=value.get("likes"),
            comments=value.get("comments"),
        )
        return context

    class Meta:
        icon = "mobile-alt"
        template = "courses/blocks/screen_block.html"
        label = _("Phone screen (chat, post, notification, permission)")


class LessonStreamBlock(blocks.StreamBlock):
    text = SafeRichTextBlock()
    image = LessonImageBlock()
    video = VideoBlock()
    callout = CalloutBlock()
    scenario = ScenarioBlock()
    checklist = ChecklistBlock()
    glossary = GlossaryBlock()
    takeaways = TakeawaysBlock()
    family = FamilyPromptBlock()
    screen = ScreenBlock()


# Age versions (issue 17): a younger (ages 9–12) and an older (ages 13–18) version of a lesson's
# first scenario, each with examples for that age. Which one a learner sees: LessonPage.age_version.
AGE_VERSIONS = ("younger", "older")


class AgeVersionBlock(blocks.StructBlock):
    """One age version: a scenario that replaces the lesson's first one, and examples shown after it."""

    scenario = ScenarioBlock(label=_("Scenario for this age"))
    examples = SafeRichTextBlock(label=_("Examples for this age"))

    class Meta:
        icon = "group"
        label = _("Age version")


class AgeVersionsBlock(blocks.StreamBlock):
    younger = AgeVersionBlock(label=_("Younger learners (ages 9–12)"))
    older = AgeVersionBlock(label=_("Older learners (ages 13–18)"))

    class Meta:
        block_counts = {"younger": {"max_num": 1}, "older": {"max_num": 1}}


class ObjectiveBlock(blocks.CharBlock):
    class Meta:
        icon = "pick"
        label = _("Objective")


# ---- The teacher's side (issue 17): a guide per lesson, a family letter per module ----

GUIDE_CLASS_MINUTES = 40  # courses/curriculum/check.py GUIDE_MINUTES must match (tested)
GUIDE_PHASES = [
    ("warm-up", _("Warm-up")),
    ("scenario", _("The scenario as a class discussion")),
    ("activity", _("Pairs or groups")),
    ("exit-ticket", _("Exit ticket")),
]


class VocabularyBlock(blocks.StructBlock):
    term = blocks.CharBlock(label=_("Term"), max_length=120)
    meaning = blocks.TextBlock(label=_("Meaning"))

    class Meta:
        icon = "doc-empty"
        label = _("Vocabulary")


class PlanStepBlock(blocks.StructBlock):
    phase = blocks.ChoiceBlock(choices=GUIDE_PHASES, label=_("Phase"))
    minutes = blocks.IntegerBlock(label=_("Minutes"), min_value=1, max_value=GUIDE_CLASS_MINUTES)
    activity = blocks.TextBlock(label=_("What the class does"))

    class Meta:
        icon = "time"
        label = _("Step of the plan")


class TeacherGuideBlock(blocks.StructBlock):
    """A 40-minute class plan for one lesson: teachers, school admins and editors only."""

    essential_question = blocks.CharBlock(label=_("Essential question"), max_length=300)
    vocabulary = blocks.ListBlock(VocabularyBlock(), label=_("Key vocabulary"))
    plan = blocks.ListBlock(PlanStepBlock(), label=_("Timed plan (40 minutes)"))
    exit_ticket = blocks.ListBlock(blocks.CharBlock(max_length=300), label=_("Exit ticket"), min_num=2, max_num=3)
    discussion = blocks.ListBlock(
        blocks.CharBlock(max_length=300), label=_("Discussion questions"), min_num=3, max_num=3
    )
    safeguarding = blocks.TextBlock(
        label=_("Safeguarding notes"), help_text=_("What not to ask in class; where to point a child privately.")
    )

    def clean(self, value):
        value = super().clean(value)
        total = sum(step["minutes"] or 0 for step in value["plan"])
        if total != GUIDE_CLASS_MINUTES:
            raise StructBlockValidationError(
                block_errors={
                    "plan": ValidationError(
                        _("The steps add up to %(total)s minutes; a class is %(want)s.")
                        % {"total": total, "want": GUIDE_CLASS_MINUTES}
                    )
                }
            )
        return value

    class Meta:
        icon = "user"
        label = _("Teacher guide")


class FamilyLetterBlock(blocks.StructBlock):
    """A one-page letter home for a module, printed by the teacher."""

    greeting = blocks.CharBlock(label=_("Greeting"), max_length=120)
    learned = blocks.TextBlock(label=_("What your child learned"))
    prompts = blocks.ListBlock(blocks.CharBlock(max_length=300), label=_("Conversation prompts"), min_num=3, max_num=3)
    try_together = blocks.TextBlock(label=_("Try together"))
    help = blocks.TextBlock(label=_("Where to get help"))
    closing = blocks.CharBlock(label=_("Closing"), max_length=120)

    class Meta:
        icon = "mail"
        label = _("Family letter")
