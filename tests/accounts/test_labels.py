"""{% label %}: a translated "Label:" and the space its language puts before the value."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation


def render(source, **context):
    return Template("{% load i18n labels %}" + source).render(Context(context))


def test_english_keeps_the_space_after_the_colon():
    with translation.override("en"):
        assert render('{% label _("Goal:") %}Know what is private') == "<strong>Goal:</strong> Know what is private"


def test_chinese_writes_the_value_straight_after_the_full_width_colon():
    with translation.override("zh-hans"):
        assert render('{% label _("Goal:") %}认识隐私') == "<strong>目标：</strong>认识隐私"
        assert render('{% label _("Why:") "muted" %}因为') == '<span class="muted">原因：</span>因为'
        assert render('{% label _("Status:") "plain" %}已完成') == "状态：已完成"


def test_the_label_is_escaped_unless_already_safe():
    assert render("{% label text %}x", text="Tom & Jerry:") == "<strong>Tom &amp; Jerry:</strong> x"
    html = render(
        "{% blocktrans with course=name asvar course_label %}{{ course }}:{% endblocktrans %}{% label course_label %}x",
        name="<b>Privacy</b>",
    )
    assert html == "<strong>&lt;b&gt;Privacy&lt;/b&gt;:</strong> x"


def test_an_unknown_style_is_a_template_error():
    with pytest.raises(TemplateSyntaxError, match="unknown style 'bold'"):
        render('{% label _("Goal:") "bold" %}x')
