"""The school calendar: which term a day falls in (one rule for every figure "this term")."""

from datetime import date


def term_start(day: date) -> date:
    """Chinese school terms: autumn from 1 September (to January), spring from 1 February."""
    if day.month >= 9:
        return date(day.year, 9, 1)
    if day.month == 1:
        return date(day.year - 1, 9, 1)
    return date(day.year, 2, 1)
