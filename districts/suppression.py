"""Small-number suppression, applied to every figure a district page or export shows.

Primary: a figure about fewer than `THRESHOLD` learners (a percentage whose largest module
has fewer than 5 learners, a count of learners or reports below 5) is hidden. A hidden cell
reads "hidden" (`hidden_label`), with `hidden_meaning` in full beside it.

Complementary: no hidden figure may be worked out from the shown ones, on the page or in the
files (built from the same cells). The officer is taken to know the district's structure
(which school teaches which grades, which module each grade was given) and each group's
size, and to do any arithmetic on what is shown. A pooled figure (completion, average score,
objectives reached, an Art. 13 column) is then the sum of the module rows (school × grade ×
module) it pools, so three steps, repeated until nothing changes:

1. Sums (`Total`). A shown total and its shown parts give away a single hidden member by
   subtraction. In every sum the report shows (a school's grades and its row, a grade's
   schools and the grade's row, the district total over schools, grades and modules, the
   module × school table and its margins, the Art. 13 columns over schools and over the
   modules serving them, learner counts where they add up, report counts per term), a single
   hidden member takes with it the other part with the fewest learners, or the total when no
   other part is left: a total over one part is that part (a grade taught at one school).
2. The same figure shown twice (`Same`: over the same module rows, such as a school given
   one module and its cell in the module × school table) is hidden in both places.
3. An exact check (`recoverable`), since sums from different tables can still combine (two
   Art. 13 columns can split a school's modules between them and add up to its row): a
   hidden figure is recoverable when its rows are a linear combination of shown figures'
   rows, solved in exact fractions. Each one found takes with it a shown figure about the
   same schools, the one with the fewest learners whose loss makes it unrecoverable; learner
   and report counts are checked the same way against the sums that hold between them
   (`recoverable_counts`).

Not covered: bounds (a 0 % or 100 % total tells that every part is 0 % or 100 %; a hidden
count is between 0 and 4), what rounding to whole percentages leaves of a difference, and a
module's learner count against its grades' (which grades had a module is not shown).
The rule for readers: docs/architecture.md, "District figures: small-number suppression".
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from fractions import Fraction

from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.translation import gettext, pgettext

THRESHOLD = 5


def hidden_label() -> str:
    """What a hidden cell reads: a word, so a percentage column never seems to say "under 5 %".
    One label for a small group and for a figure hidden to protect one: telling them apart
    would say which of two hidden figures is the small one."""
    return pgettext("a figure hidden to protect small groups", "hidden")


def hidden_meaning() -> str:
    """The label in full: for screen readers and on hover on the page, above the tables in the files."""
    return gettext("hidden: fewer than 5 learners, or hidden so that such a figure cannot be worked out")


@dataclass(eq=False)
class Cell:
    """A figure with the number of learners (or the count) it was built from.

    `value` is what is shown (a percentage, a count, an index); `n` decides suppression.
    Cells compare by identity: suppression follows each cell wherever it is shown.
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
            return hidden_label()
        if self.value is None:
            return "—"
        value = round(self.value) if isinstance(self.value, float) else self.value
        # Small whole numbers read the same in every locale; larger ones get its grouping.
        text = str(value) if -1000 < value < 1000 else number_format(value, force_grouping=True)
        return f"{text}{self.unit}"

    def __html__(self):
        """In a template: a hidden cell shows its label and says its meaning in full."""
        if not self.suppressed:
            return escape(str(self))
        meaning = hidden_meaning()
        return format_html(
            '<span class="muted"><span aria-hidden="true" title="{}">{}</span>'
            '<span class="visually-hidden">{}</span></span>',
            meaning,
            hidden_label(),
            meaning,
        )


def count(n: int) -> Cell:
    """A count of learners or reports: the count is its own base."""
    return Cell(n, n)


def percent(part: int | float, base: int, *, n: int | None = None) -> Cell:
    """`part` of `base` as a whole percentage, suppressed when `n` (default `base`) < 5."""
    value = round(100 * part / base) if base else None
    return Cell(value, base if n is None else n, unit="%")


class Total:
    """`total` is the sum of `parts` (pooled figures add their rows' numbers, so a shown total
    and its shown parts give away a single hidden one). `total` is None when the sum is known
    without being a cell of its own."""

    def __init__(self, total: Cell | None, parts: list[Cell]):
        self.total = total if total is not None and total.value is not None else None
        self.parts = [c for c in parts if c.value is not None]

    def cells(self) -> list[Cell]:
        return self.parts if self.total is None else [self.total, *self.parts]

    def protect(self) -> list[Cell]:
        """Exactly one hidden cell: hide the other part with the fewest learners too, or the
        total when no part is left to hide."""
        if sum(c.suppressed for c in self.cells()) != 1:
            return []
        visible = [c for c in self.parts if not c.suppressed]
        if visible:
            pick = min(visible, key=lambda c: c.n)
        elif self.total is not None and not self.total.suppressed:
            pick = self.total
        else:
            return []
        pick.suppressed = True
        return [pick]


class Same:
    """Cells that are one figure shown in several places: hidden in all or in none."""

    def __init__(self, cells: list[Cell]):
        self.parts = [c for c in cells if c.value is not None]

    def cells(self) -> list[Cell]:
        return self.parts

    def protect(self) -> list[Cell]:
        if not any(c.suppressed for c in self.parts):
            return []
        hidden = [c for c in self.parts if not c.suppressed]
        for c in hidden:
            c.suppressed = True
        return hidden


def protect(relations: list[Total | Same]) -> None:
    """Steps 1 and 2 over relations that may share cells, in the order given (put the finer
    tables first: their complements are the natural ones); each newly hidden cell has its
    other relations checked again, until none has a single hidden cell."""
    by_cell = defaultdict(list)
    for relation in relations:
        for cell in relation.cells():
            by_cell[id(cell)].append(relation)
    todo = deque(relations)
    while todo:
        for cell in todo.popleft().protect():
            todo.extend(by_cell[id(cell)])


class _Span:
    """A span of vectors (dicts: key -> Fraction) kept in echelon form: each basis vector is
    zero at the pivots of those before it, so reducing by them in order leaves a vector zero
    at every pivot, the same for every vector of one coset (a linear map)."""

    def __init__(self):
        self.basis = []

    def reduce(self, vector: dict) -> dict:
        v = dict(vector)
        for pivot, b in self.basis:
            factor = v.get(pivot)
            if factor:
                for k, c in b.items():
                    x = v.get(k, 0) - factor * c
                    if x:
                        v[k] = x
                    else:
                        v.pop(k, None)
        return v

    def add(self, vector: dict) -> None:
        v = self.reduce(vector)
        if v:
            pivot = next(iter(v))
            scale = v[pivot]
            self.basis.append((pivot, {k: Fraction(c) / scale for k, c in v.items()}))


# A pooled cell and the module rows it sums.
Figure = tuple[Cell, frozenset]


def recoverable(figures: list[Figure], *, block) -> list[Figure]:
    """The hidden figures whose rows' sum follows from the shown figures' (one measure).

    Rows are split into blocks (a school's): the figures inside one block are reduced there
    first, small systems, and only the few figures crossing blocks (a grade's, a module's,
    the district's) are solved together, in what is left of each block once its own shown
    figures are taken out."""
    hidden = [f for f in figures if f[0].suppressed and f[1]]
    if not hidden:
        return []
    local = defaultdict(_Span)
    crossing = []
    for cell, rows in figures:
        if cell.suppressed or cell.value is None or not rows:
            continue
        blocks = {block(r) for r in rows}
        if len(blocks) == 1:
            local[blocks.pop()].add(dict.fromkeys(rows, 1))
        else:
            crossing.append(rows)

    def rest(rows) -> dict:
        by_block = defaultdict(dict)
        for r in rows:
            by_block[block(r)][r] = 1
        out = {}
        for b, v in by_block.items():
            out.update(local[b].reduce(v) if b in local else v)
        return out

    span = _Span()
    for rows in crossing:
        span.add(rest(rows))
    return [f for f in hidden if not span.reduce(rest(f[1]))]


def recoverable_counts(relations: list[Total]) -> list[Cell]:
    """The hidden cells that the sums (each one: total - parts = 0) pin down, the shown
    cells being known."""
    span = _Span()
    hidden = {}
    for relation in relations:
        vector = defaultdict(int)
        for sign, cell in ((1, relation.total), *((-1, p) for p in relation.parts)):
            if cell is not None and cell.suppressed:
                hidden[id(cell)] = cell
                vector[id(cell)] += sign
        span.add({k: v for k, v in vector.items() if v})
    return [cell for key, cell in hidden.items() if not span.reduce({key: 1})]


def _visible(cell: Cell) -> bool:
    return not cell.suppressed and cell.value is not None


TRIED = 10  # candidates tried one by one before settling for the one with fewest learners


def _hide_one_more(candidates: list[Cell], still_leaks, fallback: list[Cell]) -> None:
    """Hide the candidate with the fewest learners whose loss leaves the leak unrecoverable;
    when none of the first few does alone, the one of `fallback` with the fewest learners
    (the next round goes on from there)."""
    for cell in sorted(candidates, key=lambda c: c.n)[:TRIED]:
        cell.suppressed = True
        if not still_leaks():
            return
        cell.suppressed = False
    min(fallback, key=lambda c: c.n).suppressed = True


def _pooled_leak(pooled: list[list[Figure]], block) -> bool:
    """Any way of working the hidden figure out uses a shown figure over some of its rows
    (the fallback); the candidates are every shown figure about the same schools."""
    for figures in pooled:
        found = recoverable(figures, block=block)
        if found:
            leak, rows = found[0]
            schools = {block(r) for r in rows}
            shown = [(c, r) for c, r in figures if _visible(c)]
            _hide_one_more(
                [c for c, r in shown if any(block(x) in schools for x in r)],
                lambda leak=leak, figures=figures: any(c is leak for c, _r in recoverable(figures, block=block)),
                [c for c, r in shown if r & rows],
            )
            return True
    return False


def _count_leak(counted: list[Total]) -> bool:
    for leak in recoverable_counts(counted):
        around = [c for rel in counted if any(c is leak for c in rel.cells()) for c in rel.cells() if _visible(c)]
        if around:
            _hide_one_more(around, lambda leak=leak: any(c is leak for c in recoverable_counts(counted)), around)
            return True
    return False


def secure(relations: list[Total | Same], pooled: list[list[Figure]], *, counted: list[Total], block) -> None:
    """All three steps, until no hidden figure can be worked out. `relations`: the sums and
    repeats the report shows (finer tables first); `pooled`: its pooled figures, one list per
    measure; `counted`: the sums between counts; `block(row)`: the school of a module row."""
    protect(relations)
    while _pooled_leak(pooled, block) or _count_leak(counted):
        protect(relations)
