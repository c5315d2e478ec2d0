"""The interface's Chinese holds to one term per idea (../shared/zh-glossary.md): the words the
glossary replaces appear in no translation of the catalogue."""

import re
from pathlib import Path

import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

# (what must not appear, what the glossary says instead, where it may still appear)
REPLACED = [
    ("账户", "账号 (a user account)", ()),
    ("安全保护", "学生保护: 学生保护专员 on staff screens, 负责学生保护的老师 on a child's", ("人身财产安全保护",)),
    ("关联码", "绑定码", ()),
    ("关联孩子", "绑定孩子", ()),
    ("加入码", "班级码", ()),
    ("模块", "课程 (never 模块)", ("内容模块",)),  # 内容模块: the national curriculum standard's own term
    ("给予同意", "确认同意", ()),
    ("您家庭的一周", "孩子本周学习周报", ()),
    ("检验一下你的理解", "学完测一测", ()),
    ("数据面板", "学情看板", ()),
]


def translations():
    """Every msgstr of the catalogue, joined from its quoted lines (plural forms included)."""
    text = PO.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue  # obsolete
        current, parts = None, []
        for line in block.splitlines():
            if line.startswith("msgstr"):
                if current is not None:
                    yield "".join(parts)
                current, parts = line, [line.split('"', 1)[1].rsplit('"', 1)[0]]
            elif line.startswith('"') and current is not None:
                parts.append(line[1:-1])
            elif line.startswith("msgid"):
                current = None
        if current is not None:
            yield "".join(parts)


def test_the_catalogue_is_read():
    found = list(translations())
    assert len(found) > 1000 and "首页" in found


@pytest.mark.parametrize("term, instead, allowed", REPLACED, ids=[r[0] for r in REPLACED])
def test_no_translation_uses_a_replaced_term(term, instead, allowed):
    offending = []
    for msgstr in translations():
        stripped = msgstr
        for ok in allowed:
            stripped = stripped.replace(ok, "")
        if term in stripped:
            offending.append(msgstr)
    assert not offending, f"use {instead}: {offending[:5]}"


def test_an_ellipsis_in_chinese_is_doubled():
    single = [m for m in translations() if re.search(r"(?<!…)…(?!…)", m)]
    assert not single, single[:5]
