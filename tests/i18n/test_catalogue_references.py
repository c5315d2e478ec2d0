"""A sentence that names another part of the page in quotes ("the button under “What to do
next”", "tick “This is urgent: I need help today”") must name it in Chinese as that part is
translated, or a child reading 简体中文 looks for a heading or a box the page does not have."""

import gettext
import re

from django.conf import settings

QUOTED = re.compile(r"“([^”]+)”")


def _catalogue() -> dict[str, str]:
    path = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    return {msgid: msgstr for msgid, msgstr in catalog.items() if isinstance(msgid, str) and msgid}


def test_quoted_labels_are_named_as_they_are_translated():
    catalogue = _catalogue()
    checked, wrong = 0, []
    for msgid, msgstr in catalogue.items():
        for label in QUOTED.findall(msgid):
            if label not in catalogue:
                continue  # a quotation (a lesson's question, a scam message), not a label
            checked += 1
            if catalogue[label] not in msgstr:
                wrong.append(f"{msgid!r} names “{label}”, translated {catalogue[label]!r}, but says {msgstr!r}")
    assert checked >= 15  # the check still finds the sentences it is about
    assert not wrong, "\n".join(wrong)
