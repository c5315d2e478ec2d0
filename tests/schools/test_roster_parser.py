"""The roster parser never crashes and never lets a formula or markup through."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schools import roster

cells = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(cells, cells, cells), min_size=1, max_size=8), st.sampled_from([",", ";", "\t"]))
def test_parser_accepts_or_explains_any_text(rows, sep):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep)
    writer.writerow(["name", "username", "grade"])
    writer.writerows(rows)
    try:
        result = roster.parse(out.getvalue().encode("utf-8"))
    except roster.RosterFileError:
        return
    for row in result.rows:
        assert row.name and not row.name.startswith(roster.FORMULA_START)
        assert "<" not in row.name and ">" not in row.name
        assert row.grade is None or 1 <= row.grade <= 12
    assert len(result.rows) + len(result.errors) <= len(rows)


@given(st.binary(max_size=200))
@settings(max_examples=100, deadline=None)
def test_parser_refuses_or_reads_arbitrary_bytes(data):
    try:
        roster.parse(data)
    except roster.RosterFileError:
        pass


def test_ten_megabyte_file_is_refused_before_parsing():
    with pytest.raises(roster.RosterFileError, match="larger than 2 MB"):
        roster.parse(b"name\n" + b"x" * (10 * 1024 * 1024))


def test_gb18030_from_older_excel_is_read():
    result = roster.parse("姓名,年级\n张伟,7\n".encode("gb18030"))
    assert [(r.name, r.grade) for r in result.rows] == [("张伟", 7)]


def test_a_giant_cell_is_a_clear_error_not_a_crash():
    with pytest.raises(roster.RosterFileError, match="could not be read"):
        roster.parse(b"name\n" + b"a" * 200_000 + b"\n")
