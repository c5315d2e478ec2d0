"""Small-number suppression, applied to every figure a district page or export shows.

Primary: a figure built from fewer than `THRESHOLD` learners (or a count below it) is shown
as "fewer than 5". Complementary: in any group whose cells add up to a total that is also
shown (a table's row or column), a single suppressed cell could be recovered by subtracting
the others from the total, so when exactly one cell of a group is suppressed, the smallest
other cell is suppressed too. Groups are re-checked until nothing changes (a cell hidden in
a column can leave a row with a single hidden cell).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext

THRESHOLD = 5


@dataclass
class Cell:
    """A figure with the number of learners (or the count) it was built from.

    `value` is what is shown (a percentage, a count, an index); `n` decides suppression.
    """

    value: float | int | None
    n: int
    unit: str = ""
    suppressed: bool = False

    def __post_init__(self):
        # Nothing to show (no learner at all) reads "—": there is no small number to hide.
        if self.n < THRESHOLD and self.value is not None:
            self.suppressed = True

    @property
    def shown(self):
        """The value, or None when suppressed or when there is nothing to show."""
        return None if self.suppressed else self.value

    @property
    def number(self):
        """The value for a chart or spreadsheet: None when suppressed."""
        return self.shown

    def __str__(self):
        if self.suppressed:
            return gettext("fewer than 5")
        if self.value is None:
            return "—"
        value = round(self.value) if isinstance(self.value, float) else self.value
        # Small whole numbers read the same in every locale; larger ones get its grouping.
        text = str(value) if -1000 < value < 1000 else number_format(value, force_grouping=True)
        return f"{text}{self.unit}"


def count(n: int) -> Cell:
    """A count of learners or reports: the count is its own base."""
    return Cell(n, n)


def percent(part: int | float, base: int, *, n: int | None = None) -> Cell:
    """`part` of `base` as a whole percentage, suppressed when `n` (default `base`) < 5."""
    value = round(100 * part / base) if base else None
    return Cell(value, base if n is None else n, unit="%")


def _protect(group: list[Cell]) -> bool:
    """One group: if exactly one cell is hidden, hide the smallest visible one too."""
    hidden = [c for c in group if c.suppressed]
    visible = [c for c in group if not c.suppressed and c.value is not None]
    if len(hidden) != 1 or not visible:
        return False
    min(visible, key=lambda c: c.n).suppressed = True
    return True


def protect_groups(groups: list[list[Cell]]) -> None:
    """Complementary suppression over groups that may share cells, until stable."""
    changed = True
    while changed:
        changed = False
        for group in groups:
            changed |= _protect(group)


def protect_table(rows: list[list[Cell]], *, rows_total: bool = True, columns_total: bool = True) -> None:
    """A table whose rows and/or columns have totals shown beside them."""
    groups = []
    if rows_total:
        groups.extend(rows)
    if columns_total and rows:
        width = max(len(r) for r in rows)
        groups.extend([[r[i] for r in rows if i < len(r)] for i in range(width)])
    protect_groups(groups)
