"""What a hidden cell says: "hidden", never "fewer than 5" (which, in a percentage column,
reads as "under 5 %"), with its meaning in full for screen readers, on hover and in the files."""

import io
import re

from django.urls import reverse
from django.utils.html import conditional_escape

from districts import exports, selectors
from districts.suppression import count, percent

MEANING = "hidden: fewer than 5 learners, or hidden so that such a figure cannot be worked out"


def test_a_hidden_percentage_reads_hidden_not_fewer_than_5():
    cell = percent(1, 3)
    assert str(cell) == "hidden"
    assert str(count(2)) == "hidden"
    assert str(percent(3, 6)) == "50%"


def test_a_hidden_cell_carries_its_meaning_in_full_on_the_page():
    html = str(conditional_escape(percent(1, 3)))
    assert f'<span class="visually-hidden">{MEANING}</span>' in html
    assert re.search(rf'<span aria-hidden="true" title="{MEANING}">hidden</span>', html)
    assert str(conditional_escape(percent(3, 6))) == "50%"


def test_the_district_page_says_what_its_hidden_cells_mean(client, district_world):
    client.force_login(district_world.officer)
    html = client.get(reverse("districts:report", args=[district_world.district.pk])).content.decode()
    assert MEANING in html
    assert "fewer than 5</td>" not in html
    # Every table's hidden cells: the schools', by grade, each school by grade, the help counts.
    assert html.count('<span class="visually-hidden">hidden: fewer than 5 learners') >= 8
    assert "A figure about fewer than 5 learners reads “hidden”" in html


def test_the_files_say_hidden_and_explain_it(district_world):
    from districts.exports import write_xlsx

    report = selectors.district_report(district=district_world.district)
    cells = [v for _title, _header, rows in exports.sections(report) for row in rows for v in row]
    assert "hidden" in cells and "fewer than 5" not in cells
    buffer = io.BytesIO()
    write_xlsx(buffer, report)
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()), read_only=True)
    text = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
    assert any(t.startswith("“hidden” marks a figure about fewer than 5 learners") for t in text)
