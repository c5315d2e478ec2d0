"""Drawn phone screens (issue 17): courses/illustrations.py, the lesson `screen` block, its
curriculum YAML and the screens in every module of both languages."""

import re
import shutil
from pathlib import Path

import pytest
import yaml
from django.urls import reverse
from wagtail.blocks.struct_block import StructBlockValidationError

from courses import illustrations, seed
from courses.blocks import LessonStreamBlock, ScreenBlock
from courses.curriculum import HERE
from courses.curriculum.check import ZH_DIR, check_screen, main
from courses.models import CoursePage
from tests.accounts.factories import EditorFactory, StudentFactory
from tests.courses.zh_fixture import write_zh

LONG_EN = (
    "Congratulations!!! You have been specially selected to receive an exclusive reward worth 5000 yuan. "
    "Visit https://prize-centre-verification.example.com/claim?user=you&code=ABCDEFGHIJKLMNOP now "
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW"
)
LONG_ZH = (
    "恭喜你！！！你被特别选中，获得价值五千元的专属奖励。请立即点击链接领取，超过二十四小时就会失效，千万不要告诉爸爸妈妈哦。"
    * 2
)
HOSTILE = '<script>alert(1)</script> "><svg onload=alert(2)>'
ITEMS = [
    {"side": "them", "name": "Nova", "title": "Prize", "text": LONG_EN, "meta": "21:47"},
    {"side": "me", "name": "", "title": "", "text": LONG_ZH, "meta": "21:48"},
    {"side": "them", "name": "小明", "title": "通知", "text": "好的。", "meta": "刚刚"},
]


def _inside(shape) -> bool:
    left, right = illustrations.SCREEN_X, illustrations.SCREEN_X + illustrations.SCREEN_W
    x, w = shape["x"], shape["width"]
    start = {"start": x, "middle": x - w / 2, "end": x - w}[shape["anchor"]]
    return left <= start and start + w <= right


@pytest.mark.parametrize("kind", illustrations.KINDS)
def test_long_english_and_chinese_text_wraps_inside_the_screen(kind):
    drawing = illustrations.layout(kind, "Lucky Prize Team 幸运奖品团队 with a long long name", ITEMS, likes=4213)
    texts = [s for s in drawing["shapes"] if s["kind"] == "text"]
    outside = [s["text"] for s in texts if not _inside(s)]
    assert outside == []
    # Everything was drawn: wrapped lines put together give back each item's text.
    drawn = "".join(s["text"] for s in texts).replace(" ", "")
    assert "prize-centre-verification" in drawn and "千万不要告诉爸爸妈妈哦" in drawn
    assert max(s["y"] for s in texts) < drawing["height"] - illustrations.BEZEL


def test_wrap_breaks_chinese_anywhere_but_never_before_closing_punctuation():
    lines = illustrations.wrap(LONG_ZH, 150, 15)
    assert len(lines) > 5
    assert all(illustrations.text_width(line, 15) <= 150 for line in lines)
    assert not any(line[0] in illustrations.CLOSING for line in lines)
    assert "".join(lines) == LONG_ZH
    english = illustrations.wrap("one two three four five six seven", 80, 15)
    assert all(not line.startswith(" ") and not line.endswith(" ") for line in english)
    assert " ".join(english) == "one two three four five six seven"


def test_every_text_is_escaped():
    items = [{"side": "them", "name": HOSTILE, "title": HOSTILE, "text": HOSTILE, "meta": HOSTILE}]
    for kind in illustrations.KINDS:
        html = illustrations.render_screen(kind, HOSTILE, items, alt=HOSTILE, caption=HOSTILE)
        assert "<script" not in html and '"><svg' not in html and "<svg onload" not in html
        assert "&lt;script&gt;" in html and "&quot;&gt;&lt;svg" in html


def test_accessible_name_and_transcript():
    html = illustrations.render_screen(
        "chat", "Nova", ITEMS, alt="A chat in which Nova promises a prize.", caption="Would you reply?"
    )
    svg = re.search(r"<svg [^>]*>", html).group(0)
    assert 'role="img"' in svg
    label = re.search(r'aria-labelledby="([^"]+)"', svg).group(1)
    assert f'<title id="{label}">A chat in which Nova promises a prize.</title>' in html
    hidden = html[html.index('<div class="visually-hidden">') :]
    hidden = hidden[: hidden.index("</div>")]
    assert "Nova (21:47): " + LONG_EN.replace("&", "&amp;") in hidden
    assert "Me (21:48): " + LONG_ZH in hidden
    assert "小明 (刚刚): 好的。" in hidden
    assert "<figcaption" in html and "Would you reply?" in html
    assert not re.search(r"<(image|img|use|foreignObject)\b", html) and "href" not in html  # nothing external


def test_quiz_scenario_lines_become_items():
    title, items = illustrations.scenario_items(
        "chat", 'Messages from "Nova":\n\n1. "You\'re so mature."\nme: Who are you?\nAva: hi\n我：好的\n'
    )
    assert title == 'Messages from "Nova"'
    assert [(i["side"], i.get("name"), i["text"]) for i in items] == [
        ("them", None, "1. You're so mature."),
        ("me", None, "Who are you?"),
        ("them", "Ava", "hi"),
        ("me", None, "好的"),
    ]
    title, items = illustrations.scenario_items("permission", '"Sticker Fun" wants access to:\n- Photos\n- Contacts')
    assert title == '"Sticker Fun" wants access to' and [i["text"] for i in items] == ["Photos", "Contacts"]
    assert illustrations.scenario_items("post", "Line one\nLine two")[1] == [{"text": "Line one\nLine two"}]


def test_screen_block_needs_alt_text_and_renders_the_drawing():
    block = ScreenBlock()
    value = block.to_python(
        {"kind": "chat", "title": "Nova", "items": [{"side": "them", "text": "Hi"}], "alt": "  ", "caption": ""}
    )
    with pytest.raises(StructBlockValidationError):
        block.clean(value)
    value = block.to_python(
        {"kind": "notification", "title": "23:47", "items": [{"name": "Chat", "text": "9 new"}], "alt": "Lock screen"}
    )
    html = block.render(block.clean(value))
    assert 'class="screen-drawing"' in html and "23:47" in html and "9 new" in html
    assert "screen" in LessonStreamBlock.base_blocks


def test_check_rejects_a_bad_screen_block():
    good = {
        "type": "screen",
        "kind": "chat",
        "title": "Nova",
        "items": [{"side": "me", "text": "Hi"}],
        "alt": "A chat.",
    }
    assert check_screen(good) == []
    assert check_screen({**good, "kind": "email"})
    assert check_screen({**good, "alt": ""})
    assert check_screen({**good, "alt": "x" * 301})
    assert check_screen({**good, "items": []})
    assert check_screen({**good, "items": [{"side": "left", "text": "Hi"}]})
    assert check_screen({**good, "items": [{"text": "Hi", "meta": 1307}]})  # an unquoted 21:47
    assert check_screen({**good, "colour": "red"})


def test_curriculum_files_pass_the_check(capsys):
    assert main() == 0


def _screens(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [lesson["slug"] for lesson in data["lessons"] for block in lesson["body"] if block.get("type") == "screen"]


def test_every_module_has_a_screen_in_both_languages():
    files = sorted(HERE.glob("m*.yaml"))
    assert len(files) == 11
    for path in files:
        english = _screens(path)
        assert english, f"{path.name} has no screen block"
        assert _screens(HERE / ZH_DIR / path.name) == english, path.name


@pytest.fixture
def bilingual_dir(tmp_path):
    target = tmp_path / "curriculum"
    target.mkdir()
    name = "m01-digital-citizenship.yaml"
    shutil.copy(HERE / name, target / name)
    write_zh(target / name)
    return target


def test_the_block_renders_on_the_seeded_lesson_in_english_and_chinese(client, db, bilingual_dir):
    seed.run(directory=bilingual_dir)
    en = CoursePage.objects.get(slug="digital-citizenship", locale__language_code="en")
    zh = CoursePage.objects.get(slug="digital-citizenship", locale__language_code="zh-hans")
    data = yaml.safe_load((bilingual_dir / "m01-digital-citizenship.yaml").read_text(encoding="utf-8"))
    slug = _screens(bilingual_dir / "m01-digital-citizenship.yaml")[0]
    block = next(
        b for lesson in data["lessons"] if lesson["slug"] == slug for b in lesson["body"] if b["type"] == "screen"
    )
    lesson, zh_lesson = en.lessons().get(slug=slug), zh.lessons().get(slug=slug)
    zh_alt = next(b.value["alt"] for b in zh_lesson.body if b.block_type == "screen")

    client.force_login(StudentFactory(language="en"))
    html = client.get(lesson.url).content.decode()
    assert html.count('class="screen-drawing"') == 1 and 'role="img"' in html
    assert block["alt"].replace("'", "&#x27;") in html and block["items"][0]["name"] in html

    client.force_login(StudentFactory(language="zh-hans"))
    html = client.get(lesson.url).content.decode()
    assert html.count('class="screen-drawing"') == 1
    assert zh_alt in html and block["alt"].replace("'", "&#x27;") not in html
    assert "屏幕上显示" in html  # the transcript's heading, in Chinese


def test_editors_get_the_screen_block_in_the_admin(client, catalogue):
    """The seeded lesson with a chat opens in the page editor, which offers the block."""
    lesson = CoursePage.objects.get(slug="digital-citizenship").lessons().get(slug="group-chat-manners")
    assert [b.block_type for b in lesson.body].count("screen") == 1
    client.force_login(EditorFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Phone screen (chat, post, notification, permission)" in page and "Kind of screen" in page
