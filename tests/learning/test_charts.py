"""The weekly bar charts on a phone: eight axis labels share about 320 px, so the drawn axis
uses a short date (11/26 in Chinese, whose full 11月26日 labels ran into each other at 390 px);
the data table under the chart keeps the full date."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from learning.dashboards.charts import WIDTH, bar_chart, week_point
from tests.accounts.factories import GuardianFactory
from tests.schools.factories import link_guardian

pytestmark = pytest.mark.django_db

WEEKS = [date(2026, 10, 19) + timedelta(weeks=i) for i in range(8)]


@pytest.mark.parametrize(("language", "axis", "label"), [("en", "19 Oct", "19 Oct"), ("zh-hans", "10/19", "10月19日")])
def test_week_labels_short_on_the_axis_full_in_the_table(language, axis, label):
    with translation.override(language):
        point = week_point(WEEKS[0], 5)
    assert (point["axis"], point["label"], point["value"]) == (axis, label, 5)


def test_every_axis_label_fits_its_slot_in_both_languages():
    """At the chart's 10-unit font a CJK character is about 10 units wide and a digit or
    Latin letter about 6: each label must fit the slot of one of eight bars."""
    slot = WIDTH / len(WEEKS)
    for language in ("en", "zh-hans"):
        with translation.override(language):
            chart = bar_chart([week_point(day, 1) for day in WEEKS])
        for bar in chart["bars"]:
            width = sum(10 if ord(ch) > 0x2E80 else 6 for ch in bar["axis"])
            assert width < slot, (language, bar["axis"])


def test_guardian_chart_draws_short_labels_and_tables_full_ones(client, pupil):
    client.force_login(link_guardian(pupil, GuardianFactory(language="zh-hans")))
    html = client.get(reverse("learning:guardian_child", args=[pupil.pk])).content.decode()
    svg = html.split('<svg class="nw-chart__svg"')[1].split("</svg>")[0]
    table = html.split('class="nw-chart__data"')[1].split("</table>")[0]
    labels = svg.split('class="nw-chart__label"')[1:]
    assert len(labels) == 8 and all("月" not in part.split("</text>")[0] for part in labels)
    assert "/" in labels[0].split("</text>")[0]
    assert table.count("月") == 8 and table.count("日") >= 8
