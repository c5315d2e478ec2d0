"""A zh-hans counterpart of an English curriculum file, built for tests.

It mirrors the English file's structure exactly (docs/curriculum-i18n.md) with short
Chinese test text, so the tests follow the English source while colleagues edit it.
It is not a translation: the real files live in courses/curriculum/zh-hans/.
"""

from pathlib import Path

import yaml

from courses.curriculum.check import STRUCTURAL_KEYS, TRUEFALSE_ZH

FILLER = "这是测试用的中文课时内容，帮助我们确认双语课程的结构一致、字数足够、进度共享。"


def _zh_text(value: str, where: str, long: bool) -> str:
    text = f"{where}：{FILLER}" if long else f"中文{where}"
    if value.lstrip().startswith("<"):
        return f"<p>{text}</p>"
    return text


def _walk(value, where: str, long: bool):
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in STRUCTURAL_KEYS:
                out[key] = item
            else:
                out[key] = _walk(item, f"{where}{len(out)}", long)
        return out
    if isinstance(value, list):
        return [_walk(item, f"{where}{i}", long) for i, item in enumerate(value)]
    if isinstance(value, str):
        return _zh_text(value, where or "标题", long)
    return value


def make_zh(english: dict) -> dict:
    zh = {}
    for key, value in english.items():
        if key == "title_zh" or key.startswith("_"):
            continue
        if key in STRUCTURAL_KEYS:
            zh[key] = value
        elif key == "lessons":
            zh[key] = [
                {
                    k: (_walk(v, f"第{i}课", long=(k == "body")) if k not in STRUCTURAL_KEYS else v)
                    for k, v in les.items()
                }
                for i, les in enumerate(value, 1)
            ]
        elif key == "quiz":
            quiz = _walk(value, "测验", long=False)
            for question in quiz["questions"]:
                if question["type"] == "truefalse":
                    for choice, text in zip(question["choices"], TRUEFALSE_ZH, strict=True):
                        choice["text"] = text
            zh[key] = quiz
        else:
            zh[key] = _walk(value, "课程", long=False)
    zh["title"] = "数字公民：测试课程"
    return zh


def write_zh(english_path: Path) -> Path:
    """Write the test counterpart of `english_path` to its zh-hans/ folder; returns its path."""
    english = yaml.safe_load(english_path.read_text(encoding="utf-8"))
    target = english_path.parent / "zh-hans" / english_path.name
    target.parent.mkdir(exist_ok=True)
    target.write_text(yaml.safe_dump(make_zh(english), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target
