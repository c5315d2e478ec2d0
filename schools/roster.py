"""Roster CSV: decode, parse and validate the whole file before anything is written.

Columns (header row, case-insensitive, English or Chinese): name, username (optional),
grade, guardian_email (optional). Handles a UTF-8 BOM, Excel's UTF-16 export (tabs),
`;` or `,` separators, Chinese names. Cells that a spreadsheet would run as a formula
(=, +, -, @, tab, CR at the start) are refused, so a printed or re-exported roster can
never carry an injection.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_NAME = 80

HEADER_ALIASES = {
    "name": "name",
    "full name": "name",
    "student name": "name",
    "姓名": "name",
    "username": "username",
    "user name": "username",
    "用户名": "username",
    "grade": "grade",
    "year": "grade",
    "年级": "grade",
    "guardian email": "guardian_email",
    "guardian_email": "guardian_email",
    "parent email": "guardian_email",
    "家长邮箱": "guardian_email",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
HTML_RE = re.compile(r"[<>]")


class RosterFileError(Exception):
    """The file as a whole cannot be read (too big, wrong encoding, no header)."""


@dataclass
class RosterRow:
    line: int
    name: str
    username: str = ""
    grade: int | None = None
    guardian_email: str = ""


@dataclass
class RosterResult:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (line, message)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise RosterFileError(
            _("The file is larger than %(mb)s MB. Split it into smaller files.") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Older Chinese Excel saves CSV as GB18030.
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise RosterFileError(_("The file is not a text CSV file. Save it as CSV (UTF-8) and try again.")) from exc


def _dialect(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in ("\t", ";", ",")}
    sep = max(counts, key=counts.get)
    return sep if counts[sep] else ","


def parse(data: bytes, *, default_grade=None) -> RosterResult:
    """Read and check every row. Never writes."""
    try:
        return _parse(data, default_grade=default_grade)
    except csv.Error as exc:
        raise RosterFileError(_("The file could not be read as CSV: %(error)s") % {"error": exc}) from exc


def _parse(data: bytes, *, default_grade=None) -> RosterResult:
    text = decode(data)
    if "\x00" in text:
        raise RosterFileError(_("The file contains binary data and is not a CSV file."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text))
    try:
        header = next(reader)
    except StopIteration as exc:
        raise RosterFileError(_("The file is empty.")) from exc
    columns = [HEADER_ALIASES.get(h.strip().lower()) for h in header]
    if "name" not in columns:
        raise RosterFileError(
            _(
                "The first row must be a header with at least a 'name' column "
                "(and optionally username, grade, guardian email)."
            )
        )
    result = RosterResult()
    seen_usernames = {}
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(result.rows) + len(result.errors) >= MAX_ROWS:
            raise RosterFileError(
                _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": MAX_ROWS}
            )
        values = {}
        for col, cell in zip(columns, cells):
            if col:
                values[col] = cell.strip()
        row_errors = []
        raw_cells = [c for c in cells if c]
        if any(c.lstrip(" ").startswith(FORMULA_START) for c in raw_cells):
            row_errors.append(_("a cell starts with =, +, -, @ or a tab, which spreadsheets run as a formula"))
        name = values.get("name", "")
        if not name:
            row_errors.append(_("the name is missing"))
        elif len(name) > MAX_NAME:
            row_errors.append(_("the name is longer than %(n)s characters") % {"n": MAX_NAME})
        elif HTML_RE.search(name):
            row_errors.append(_("the name contains < or >"))
        username = values.get("username", "").lower()
        if username:
            if not USERNAME_RE.match(username):
                row_errors.append(_("the username may use only a-z, 0-9, dot, dash and underscore (2-40 characters)"))
            elif username in seen_usernames:
                row_errors.append(_("the username is also on line %(line)s") % {"line": seen_usernames[username]})
            else:
                seen_usernames[username] = line
        grade = default_grade
        raw_grade = values.get("grade", "")
        if raw_grade:
            digits = re.sub(r"\D", "", raw_grade)
            if not digits or not 1 <= int(digits) <= 12:
                row_errors.append(_("the grade must be a number from 1 to 12"))
            else:
                grade = int(digits)
        email = values.get("guardian_email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row_errors.append(_("the guardian email is not a valid address"))
        if row_errors:
            result.errors.append((line, "; ".join(str(e) for e in row_errors)))
        else:
            result.rows.append(
                RosterRow(
                    line=line,
                    name=name,
                    username=username,
                    grade=grade,
                    guardian_email=email,
                )
            )
    if not result.rows and not result.errors:
        raise RosterFileError(_("The file has a header but no students."))
    return result
