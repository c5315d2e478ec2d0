"""Rules every template keeps (design.md: one CSS design system): a form's button is one of the
design system's buttons, so no page shows the browser's own grey button among NetWise's (the
district's export buttons did)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "courses", "quizzes", "learning", "safeguarding", "schools", "districts", "notifications", "jobs")
BUTTON = re.compile(r"<button\b[^>]*>", re.S)
STYLED = re.compile(r'class="(?:[^"]*\s)?button(?:\s[^"]*)?"')


def unstyled_buttons(text: str) -> list[str]:
    return [tag for tag in BUTTON.findall(text) if not STYLED.search(tag)]


def _templates():
    for top in (ROOT / "site" / "templates", *(ROOT / app / "templates" for app in APPS)):
        yield from sorted(top.rglob("*.html"))


def test_every_button_is_a_design_system_button():
    found = {}
    for path in _templates():
        bad = unstyled_buttons(path.read_text(encoding="utf-8"))
        if bad:
            found[str(path.relative_to(ROOT))] = bad
    assert not found, found


def test_the_rule_finds_a_plain_button():
    assert unstyled_buttons('<button type="submit" name="format">Make</button>') == [
        '<button type="submit" name="format">'
    ]
    assert unstyled_buttons('<button class="button button--secondary" type="submit">') == []
    assert unstyled_buttons('<button class="site-header__button">') == ['<button class="site-header__button">']
