"""Lesson blocks: validation, sanitising and accessible rendering without JavaScript."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from courses.blocks import (
    CalloutBlock,
    ChecklistBlock,
    FamilyPromptBlock,
    GlossaryBlock,
    LessonImageBlock,
    LessonStreamBlock,
    SafeRichTextBlock,
    ScenarioBlock,
    TakeawaysBlock,
    VideoBlock,
    drop_repeat,
    sanitise_html,
    video_embed_url,
)

SCENARIO = {
    "prompt": "A stranger in a game chat asks which school you go to.",
    "choices": [
        {"text": "Tell them.", "verdict": "bad", "feedback": "Your school tells strangers where to find you."},
        {"text": "Change the subject and tell an adult.", "verdict": "good", "feedback": "That keeps you safe."},
    ],
}


def render(block, raw):
    return block.render(block.to_python(raw))


@pytest.fixture
def image(db):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    buf = BytesIO()
    PILImage.new("RGB", (1200, 800), "teal").save(buf, "PNG")
    return Image.objects.create(
        title="Phone", file=SimpleUploadedFile("phone.png", buf.getvalue(), content_type="image/png")
    )


class TestSanitising:
    @pytest.mark.parametrize(
        "dirty, forbidden",
        [
            ("<p>Hi<script>alert(1)</script></p>", ["<script", "alert(1)"]),
            ('<p onclick="steal()">Hi</p>', ["onclick", "steal"]),
            ('<p><a href="javascript:alert(1)">x</a></p>', ["javascript:"]),
            ('<p><a href="JaVa\tScRiPt:alert(1)">x</a></p>', ["script:"]),
            ('<p><a href="data:text/html;base64,PHNjcmlwdD4=">x</a></p>', ["data:"]),
            ('<img src="x" onerror="alert(1)"><p>ok</p>', ["<img", "onerror"]),
            ('<iframe src="https://evil.example"></iframe><p>ok</p>', ["iframe", "evil"]),
            ('<p style="position:fixed">x</p>', ["style="]),
        ],
    )
    def test_unsafe_html_is_removed(self, dirty, forbidden):
        clean = sanitise_html(dirty)
        for bad in forbidden:
            assert bad.lower() not in clean.lower()

    def test_safe_teaching_markup_survives(self):
        html = '<h3>Why</h3><p><b>Stop</b>, <i>think</i>: <a href="https://12377.cn">report</a></p><ul><li>a</li></ul>'
        assert sanitise_html(html) == html

    def test_rich_text_block_sanitises_when_saved_and_when_rendered(self):
        block = SafeRichTextBlock()
        dirty = '<p onmouseover="x()">Hello <a href="javascript:x()">there</a></p><script>x()</script>'
        stored = block.get_prep_value(block.to_python(dirty))
        assert "onmouseover" not in stored and "javascript" not in stored and "script" not in stored
        html = block.render(block.to_python(dirty))
        assert "Hello" in html and "x()" not in html

    def test_stream_field_stores_sanitised_text(self, course):
        lesson = course.lessons().first()
        lesson.body = [{"type": "text", "value": '<p>Hi</p><script>alert("x")</script>'}]
        lesson.save()
        lesson.refresh_from_db()
        assert "script" not in lesson.body.raw_data[0]["value"]
        assert "alert" not in str(lesson.body)


class TestValidation:
    def test_scenario_choice_without_feedback_cannot_be_saved(self):
        block = ScenarioBlock()
        raw = {**SCENARIO, "choices": [dict(SCENARIO["choices"][0]), {**SCENARIO["choices"][1], "feedback": " "}]}
        with pytest.raises(ValidationError):
            block.clean(block.to_python(raw))

    def test_complete_scenario_is_valid(self):
        block = ScenarioBlock()
        block.clean(block.to_python(SCENARIO))

    def test_scenario_needs_two_to_four_choices(self):
        block = ScenarioBlock()
        with pytest.raises(ValidationError):
            block.clean(block.to_python({**SCENARIO, "choices": SCENARIO["choices"][:1]}))
        with pytest.raises(ValidationError):
            block.clean(block.to_python({**SCENARIO, "choices": SCENARIO["choices"] * 3}))

    def test_image_without_alt_text_cannot_be_saved(self, image):
        block = LessonImageBlock()
        for alt in ("", "   "):
            with pytest.raises(StructBlockValidationError) as err:
                block.clean(block.to_python({"image": image.pk, "alt_text": alt, "caption": ""}))
            assert "alt_text" in err.value.block_errors

    def test_image_with_alt_text_renders_a_webp_rendition(self, image):
        block = LessonImageBlock()
        value = block.clean(
            block.to_python({"image": image.pk, "alt_text": "A phone showing a chat", "caption": "Chat"})
        )
        html = block.render(value)
        assert 'alt="A phone showing a chat"' in html
        assert ".webp" in html and 'width="800"' in html
        assert "<figcaption" in html

    def test_video_must_be_youtube_or_bilibili_over_https(self):
        block = VideoBlock()
        for url in ("http://www.youtube.com/watch?v=abc", "https://evil.example/v.mp4"):
            with pytest.raises(ValidationError):
                block.clean(block.to_python({"url": url, "title": "t", "transcript": "words"}))

    def test_a_lesson_with_an_unsafe_block_is_rejected_by_the_stream(self, image):
        stream = LessonStreamBlock()
        value = stream.to_python([{"type": "image", "value": {"image": image.pk, "alt_text": "", "caption": ""}}])
        with pytest.raises(ValidationError):
            stream.clean(value)


class TestRendering:
    def test_scenario_reveals_feedback_with_details_and_no_score(self):
        html = render(ScenarioBlock(), SCENARIO)
        assert html.count("<details") == 2
        assert html.count("<summary>") == 2
        assert "What would you do?" in html
        assert "Good choice" in html and "Risky choice" in html  # verdict in words, not colour alone
        assert "score" not in html.lower().replace("there is no score", "")
        assert "<script" not in html

    def test_scenario_says_the_heading_and_each_verdict_once(self):
        """Content that repeats the heading or the verdict is not read out twice."""
        raw = {
            "prompt": "A classmate shares a cruel meme. What would you do?",
            "choices": [
                {"text": "Laugh along.", "verdict": "bad", "feedback": "Risky choice: it spreads the hurt."},
                {"text": "Ask them to delete it.", "verdict": "good", "feedback": "Good choice. Most people do."},
            ],
        }
        html = render(ScenarioBlock(), raw)
        assert html.count("What would you do?") == 1
        assert html.count("Good choice") == 1 and html.count("Risky choice") == 1
        assert "Most people do." in html and "It spreads the hurt." in html
        assert "A classmate shares a cruel meme." in html

    def test_video_has_privacy_player_and_transcript(self):
        html = render(
            VideoBlock(),
            {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "Phishing", "transcript": "Hello class"},
        )
        assert "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" in html
        assert 'title="Phishing"' in html
        assert "Read the transcript" in html and "Hello class" in html

    def test_video_embed_urls(self):
        assert video_embed_url("https://youtu.be/abc_12") == "https://www.youtube-nocookie.com/embed/abc_12"
        assert video_embed_url("https://www.bilibili.com/video/BV1xx411c7mD/").startswith(
            "https://player.bilibili.com/player.html?bvid=BV1xx411c7mD"
        )
        assert video_embed_url("https://www.youtube.com/watch?v=<script>") is None

    @pytest.mark.parametrize(
        "block, raw, expected",
        [
            (
                CalloutBlock(),
                {"kind": "warning", "title": "Careful", "text": "Never share codes."},
                ["Warning", "Careful", "Never share codes."],
            ),
            (CalloutBlock(), {"kind": "help", "title": "", "text": "Call 12377."}, ["Get help", "Call 12377."]),
            (
                ChecklistBlock(),
                {"title": "Before you share", "items": ["Who?", "When?"]},
                ["<h3>Before you share</h3>", "<li>Who?</li>"],
            ),
            (
                GlossaryBlock(),
                {"term": "Phishing", "definition": "A fake message."},
                ["<dt>", "Phishing", "<dd>A fake message.</dd>"],
            ),
            (TakeawaysBlock(), {"items": ["One", "Two", "Three"]}, ["Key takeaways", "<li>Three</li>"]),
            (
                FamilyPromptBlock(),
                {"question": "Which apps?", "action": "Check together."},
                ["Talk about it at home", "Which apps?"],
            ),
        ],
    )
    def test_blocks_render_their_content(self, block, raw, expected):
        html = render(block, raw)
        for text in expected:
            assert text in html

    def test_callout_text_is_escaped(self):
        html = render(CalloutBlock(), {"kind": "tip", "title": "<b>x</b>", "text": "<script>x</script>"})
        assert "<script>" not in html and "&lt;script&gt;" in html


def test_drop_repeat_keeps_text_that_is_only_the_phrase_and_leaves_other_text_alone():
    assert drop_repeat("Good choice.", "Good choice") == "Good choice."
    assert drop_repeat("A good choice for most.", "Good choice") == "A good choice for most."
    assert drop_repeat("Is it safe? What would you do?", "What would you do?", at_end=True) == "Is it safe?"
    assert drop_repeat("What would you do? Think first.", "What would you do?", at_end=True) == (
        "What would you do? Think first."
    )
