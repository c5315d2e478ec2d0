"""Drawings of phone screens made from data (issue 17): a chat, a social post, a lock screen
with notifications, an app asking for permissions.

`layout()` computes the picture in Python (text wrapped with CJK-aware widths, so nothing
needs JavaScript) as a list of plain shapes; `render_screen()` draws them as inline SVG with
courses/illustrations/screen.html, where Django's autoescaping covers every text an editor
wrote. The SVG is role="img" named by the author's alt text; a visually hidden transcript
beside it gives a screen reader every message.
"""

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

KINDS = ("chat", "post", "notification", "permission")
SIDES = ("them", "me")

WIDTH = 360  # the drawing's width in SVG units; CSS caps it at 360 px and shrinks it to fit
BEZEL = 10
SCREEN_X = BEZEL
SCREEN_W = WIDTH - 2 * BEZEL
PAD = 14
STATUS_H = 30

# The design system's colours (site/static/css/netwise.css), as hex for SVG attributes.
INK = "#1b1f29"
MUTED = "#4e5668"
BORDER = "#cfd5e2"
SURFACE = "#ffffff"
BG = "#f7f8fb"
PRIMARY = "#1f5fbf"
PRIMARY_DARK = "#174a95"
INFO_BG = "#e8f0fc"
DANGER = "#b3261e"
ACCENT = "#ffd447"
HELP = "#7a2fa8"
THEM_BUBBLE = "#e9edf5"
AVATAR_COLOURS = ("#1f5fbf", "#7a2fa8", "#1d7a3e", "#8a5300", "#b3261e", "#0f6b78")

NARROW = set("iljtfrI.,;:'!|()[]{}\"`")
WIDE = set("mwMW@%&")
CLOSING = set("，。！？、；：”’）》」』〉…,.!?;:)")
LINE_GAP = 1.35  # line height as a multiple of the font size


def char_width(ch: str, size: float) -> float:
    """A generous estimate of one character's advance at `size` px in a sans-serif system
    font: full width for CJK and emoji, less for Latin (narrow and wide letters apart)."""
    if unicodedata.combining(ch) or ch in "\u200d\ufe0f\ufe0e":
        return 0.0
    if ord(ch) >= 0x1F000:
        return size * 1.2
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return size * 1.0
    if ch == " ":
        return size * 0.3
    if ch in NARROW:
        return size * 0.34
    if ch in WIDE:
        return size * 0.9
    if ch.isupper() or ch.isdigit():
        return size * 0.68
    return size * 0.57


EMOJI = re.compile(
    r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\u23F0-\u23FA\u231A\u231B][\ufe0f\u200d\U0001F3FB-\U0001F3FF]*"
)


def runs(text: str) -> list[dict]:
    """`text` cut into plain and emoji runs: the template sets an emoji font on the emoji, or
    a monochrome glyph from the text font (DejaVu has some) would be drawn instead."""
    out, last = [], 0
    for match in EMOJI.finditer(text):
        if match.start() > last:
            out.append({"text": text[last : match.start()], "emoji": False})
        out.append({"text": match.group(0), "emoji": True})
        last = match.end()
    if last < len(text):
        out.append({"text": text[last:], "emoji": False})
    return out


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    return sum(char_width(ch, size) for ch in text) * (1.08 if bold else 1.0)


def _split(paragraph: str) -> list[str]:
    """Words, runs of spaces and single wide (CJK) characters: the places a line may break."""
    tokens, word = [], ""
    for ch in paragraph:
        wide = unicodedata.east_asian_width(ch) in ("W", "F")
        if ch == " " or wide:
            if word:
                tokens.append(word)
                word = ""
            if ch == " " and tokens and tokens[-1].startswith(" "):
                tokens[-1] += ch
            else:
                tokens.append(ch)
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


def wrap(text: str, max_width: float, size: float, *, bold: bool = False, max_lines: int = 0) -> list[str]:
    """`text` broken into lines no wider than `max_width` (by text_width): Latin between
    words (an over-long word, such as a link, character by character), Chinese between any
    two characters, but never with closing punctuation at the start of a line."""

    def width(s):
        return text_width(s, size, bold=bold)

    lines: list[str] = []
    for paragraph in str(text or "").replace("\r", "").replace("\t", " ").split("\n"):
        line: list[str] = []
        for token in _split(paragraph.strip()):
            current = "".join(line)
            if token.isspace():
                if line and width(current + token) <= max_width:
                    line.append(token)
                elif line:
                    lines.append(current.rstrip())
                    line = []
                continue
            if width(current + token) <= max_width:
                line.append(token)
                continue
            carry: list[str] = []
            if token in CLOSING and len(line) > 1 and not line[-1].isspace():
                carry = [line.pop()]  # keep the punctuation with the character before it
            if line:
                lines.append("".join(line).rstrip())
            line = carry
            if width(token) > max_width:  # a word longer than a line: break it anywhere
                piece = ""
                for ch in token:
                    if width(piece + ch) > max_width and piece:
                        lines.append(piece)
                        piece = ""
                    piece += ch
                line = [piece]
            else:
                line.append(token)
        lines.append("".join(line).rstrip())
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and width(last + "…") > max_width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines


@dataclass
class Canvas:
    """The shapes of one drawing, in order, each a dict the template draws."""

    shapes: list[dict] = field(default_factory=list)

    def rect(self, x, y, w, h, *, fill, rx=0, stroke="", opacity=None):
        self.shapes.append(
            {
                "kind": "rect",
                "x": _n(x),
                "y": _n(y),
                "w": _n(w),
                "h": _n(h),
                "rx": _n(rx),
                "fill": fill,
                "stroke": stroke,
                "opacity": opacity,
            }
        )

    def circle(self, cx, cy, r, *, fill):
        self.shapes.append({"kind": "circle", "cx": _n(cx), "cy": _n(cy), "r": _n(r), "fill": fill})

    def path(self, d, *, fill="none", stroke="", width=0):
        self.shapes.append({"kind": "path", "d": d, "fill": fill, "stroke": stroke, "width": width})

    def text(self, x, y, text, *, size, fill=INK, bold=False, anchor="start", max_width=None):
        self.shapes.append(
            {
                "kind": "text",
                "x": _n(x),
                "y": _n(y),
                "text": text,
                "runs": runs(text),
                "size": size,
                "fill": fill,
                "weight": 700 if bold else 400,
                "anchor": anchor,
                "width": _n(max_width if max_width is not None else text_width(text, size, bold=bold)),
            }
        )

    def lines(self, x, y, lines, *, size, **kwargs) -> float:
        """Draw wrapped lines from baseline `y`; returns the y below the last line."""
        step = size * LINE_GAP
        for i, line in enumerate(lines):
            self.text(x, y + i * step, line, size=size, **kwargs)
        return y + (len(lines) - 1) * step + size * 0.45


def _n(value) -> float:
    return round(float(value), 1)


def _initial(name: str) -> str:
    name = (name or "").strip().lstrip("@#\"'“「")
    return name[:1].upper() if name else "?"


def _colour(name: str) -> str:
    return AVATAR_COLOURS[sum(ord(c) for c in name or "") % len(AVATAR_COLOURS)]


def _status_bar(c: Canvas, y0: float, *, light=False, clock="9:41"):
    ink = SURFACE if light else INK
    c.text(SCREEN_X + PAD + 4, y0 + 20, clock, size=13, fill=ink, bold=True)
    right = SCREEN_X + SCREEN_W - PAD - 4
    for i, h in enumerate((4, 7, 10)):  # signal bars
        c.rect(right - 46 + i * 5, y0 + 19 - h, 3, h, fill=ink, rx=1)
    c.rect(right - 24, y0 + 9, 22, 11, fill="none", stroke=ink, rx=3)
    c.rect(right - 22, y0 + 11, 14, 7, fill=ink, rx=1.5)
    c.rect(right - 1.5, y0 + 12.5, 2, 4, fill=ink, rx=1)


def _avatar(c: Canvas, cx, cy, r, name):
    c.circle(cx, cy, r, fill=_colour(name))
    c.text(cx, cy + r * 0.38, _initial(name), size=round(r * 1.05), fill=SURFACE, bold=True, anchor="middle")


def _clock(items: list[dict]) -> str:
    """The status bar's time: the last time among the items (so a chat at 19:03 does not
    show 9:41), else 9:41."""
    times = [m.group(0) for item in items if (m := re.fullmatch(r"\d{1,2}:\d{2}", (item.get("meta") or "").strip()))]
    return times[-1] if times else "9:41"


def contact_name(title: str) -> str:
    """The name in a chat's header: the quoted name in a longer title ('Messages from "Nova"
    in the game chat' -> Nova), else the title."""
    title = (title or "").strip()
    quoted = re.search(r'["“「]([^"”」]{1,30})["”」]', title)
    return quoted.group(1).strip() if quoted and quoted.group(0) != title else title


def _chat(c: Canvas, title: str, items: list[dict]) -> tuple[float, list[str]]:
    top = BEZEL
    c.rect(SCREEN_X, top, SCREEN_W, STATUS_H + 56, fill=BG)
    _status_bar(c, top, clock=_clock(items))
    title = contact_name(title)
    header = top + STATUS_H
    c.path(f"M{SCREEN_X + 22} {header + 18} l-8 10 l8 10", stroke=PRIMARY, width=2.5)
    _avatar(c, SCREEN_X + 52, header + 28, 18, title)
    name = wrap(title, SCREEN_W - 100, 16, bold=True, max_lines=1)[0]
    c.text(SCREEN_X + 78, header + 33, name, size=16, bold=True)
    c.rect(SCREEN_X, header + 56, SCREEN_W, 1, fill=BORDER)
    y = header + 56 + 14
    size, bubble_max = 15, SCREEN_W * 0.74
    transcript = []
    for item in items:
        me = item.get("side") == "me"
        sender = (item.get("name") or "").strip()
        lines = wrap(item.get("text"), bubble_max - 24, size)
        w = max([text_width(line, size) for line in lines] + [0]) + 24
        label = []
        if sender and not me:
            label = wrap(sender, bubble_max - 24, 12, bold=True, max_lines=1)
            w = max(w, text_width(label[0], 12, bold=True) + 24)
        h = len(lines) * size * LINE_GAP + 14 + (17 if label else 0)
        x = SCREEN_X + SCREEN_W - PAD - w if me else SCREEN_X + PAD
        c.rect(x, y, w, h, fill=PRIMARY if me else THEM_BUBBLE, rx=16)
        ty = y + 8 + size
        if label:
            c.text(x + 12, y + 20, label[0], size=12, bold=True, fill=_colour(sender))
            ty += 17
        c.lines(x + 12, ty, lines, size=size, fill=SURFACE if me else INK)
        y += h
        meta = (item.get("meta") or "").strip()
        if meta:
            mx = SCREEN_X + SCREEN_W - PAD - 4 if me else SCREEN_X + PAD + 4
            c.text(mx, y + 15, meta, size=11, fill=MUTED, anchor="end" if me else "start")
            y += 18
        y += 10
        who = _("Me") if me else (sender or title)
        transcript.append(_line(who, item.get("text"), meta))
    y += 4
    c.rect(SCREEN_X + PAD, y, SCREEN_W - 2 * PAD - 46, 40, fill=SURFACE, stroke=BORDER, rx=20)
    c.text(SCREEN_X + PAD + 16, y + 25, _("Message"), size=14, fill=MUTED)
    c.circle(SCREEN_X + SCREEN_W - PAD - 20, y + 20, 20, fill=PRIMARY)
    c.path(f"M{SCREEN_X + SCREEN_W - PAD - 28} {y + 20} h14 m-6 -6 l6 6 l-6 6", stroke=SURFACE, width=2.5)
    return y + 40 + 16, transcript


def _post(c: Canvas, title: str, items: list[dict], likes, comments) -> tuple[float, list[str]]:
    top = BEZEL
    _status_bar(c, top, clock=_clock(items))
    y = top + STATUS_H + 8
    post = items[0] if items else {}
    _avatar(c, SCREEN_X + PAD + 20, y + 20, 20, title)
    name = wrap(title, SCREEN_W - 2 * PAD - 56, 15, bold=True, max_lines=1)[0]
    c.text(SCREEN_X + PAD + 50, y + 17, name, size=15, bold=True)
    meta = (post.get("meta") or "").strip()
    if meta:
        c.text(SCREEN_X + PAD + 50, y + 35, meta, size=12, fill=MUTED)
    y += 52
    lines = wrap(post.get("text"), SCREEN_W - 2 * PAD, 16)
    y = c.lines(SCREEN_X + PAD, y + 16, lines, size=16) + 14
    transcript = [_line(title, post.get("text"), meta)]
    stats = []
    if likes is not None:
        heart = f"M{SCREEN_X + PAD + 9} {y + 16} l-7 -7 a4 4 0 0 1 7 -5 a4 4 0 0 1 7 5 z"
        c.path(heart, fill=DANGER)
        c.text(SCREEN_X + PAD + 22, y + 14, f"{likes:,}", size=13, fill=MUTED, bold=True)
        stats.append(_("%(n)s likes") % {"n": f"{likes:,}"})
    count = comments if comments is not None else (len(items) - 1 if len(items) > 1 else None)
    if count is not None:
        bx = SCREEN_X + PAD + 90
        c.rect(bx, y + 2, 16, 12, fill="none", stroke=MUTED, rx=4)
        c.path(f"M{bx + 4} {y + 14} l-1 5 l6 -5", fill=MUTED)
        c.text(bx + 22, y + 14, f"{count:,}", size=13, fill=MUTED, bold=True)
        stats.append(_("%(n)s comments") % {"n": f"{count:,}"})
    if stats:
        transcript.append(", ".join(stats))
        y += 26
    c.rect(SCREEN_X, y, SCREEN_W, 1, fill=BORDER)
    y += 10
    for item in items[1:]:
        who = (item.get("name") or "").strip() or _("Someone")
        lines = wrap(item.get("text"), SCREEN_W - 2 * PAD - 56, 14)
        h = 26 + len(lines) * 14 * LINE_GAP
        _avatar(c, SCREEN_X + PAD + 14, y + 18, 14, who)
        c.rect(SCREEN_X + PAD + 34, y, SCREEN_W - 2 * PAD - 34, h, fill=THEM_BUBBLE, rx=12)
        c.text(
            SCREEN_X + PAD + 44, y + 18, wrap(who, SCREEN_W - 140, 12, bold=True, max_lines=1)[0], size=12, bold=True
        )
        c.lines(SCREEN_X + PAD + 44, y + 37, lines, size=14)
        meta = (item.get("meta") or "").strip()
        if meta:
            c.text(SCREEN_X + SCREEN_W - PAD - 10, y + 18, meta, size=11, fill=MUTED, anchor="end")
        y += h + 8
        transcript.append(_line(who, item.get("text"), meta))
    return y + 10, transcript


def _notification(c: Canvas, title: str, items: list[dict], uid: str) -> tuple[float, list[str]]:
    top = BEZEL
    _status_bar(c, top, light=True, clock="")
    clock = (title or "").strip()
    y = top + STATUS_H + 16
    if clock:
        clock = wrap(clock, SCREEN_W - 2 * PAD, 48, max_lines=1)[0]
        c.text(WIDTH / 2, y + 48, clock, size=48, fill=SURFACE, anchor="middle")
        y += 72
    transcript = [_("Lock screen: %(time)s") % {"time": clock}] if clock else []
    inner = SCREEN_W - 2 * PAD - 28
    for item in items:
        app = (item.get("name") or "").strip() or _("App")
        heading = (item.get("title") or "").strip()
        head_lines = wrap(heading, inner, 14, bold=True, max_lines=2) if heading else []
        lines = wrap(item.get("text"), inner, 14, max_lines=4)
        h = 40 + (len(head_lines) + len(lines)) * 14 * LINE_GAP + 6
        c.rect(SCREEN_X + PAD, y, SCREEN_W - 2 * PAD, h, fill=SURFACE, rx=18, opacity=0.94)
        c.rect(SCREEN_X + PAD + 14, y + 12, 20, 20, fill=_colour(app), rx=5)
        c.text(SCREEN_X + PAD + 24, y + 27, _initial(app), size=12, fill=SURFACE, bold=True, anchor="middle")
        c.text(SCREEN_X + PAD + 42, y + 27, wrap(app, inner - 90, 12, max_lines=1)[0], size=12, fill=MUTED, bold=True)
        meta = (item.get("meta") or "").strip()
        if meta:
            c.text(SCREEN_X + SCREEN_W - PAD - 14, y + 27, meta, size=11, fill=MUTED, anchor="end")
        ty = y + 52
        if head_lines:
            c.lines(SCREEN_X + PAD + 14, ty, head_lines, size=14, bold=True)
            ty += len(head_lines) * 14 * LINE_GAP
        c.lines(SCREEN_X + PAD + 14, ty, lines, size=14)
        y += h + 10
        text = f"{heading}: {item.get('text') or ''}" if heading else item.get("text")
        transcript.append(_line(app, text, meta))
    y += 20
    c.rect(WIDTH / 2 - 60, y, 120, 5, fill=SURFACE, rx=2.5, opacity=0.8)
    return y + 5 + 12, transcript


def _permission(c: Canvas, title: str, items: list[dict]) -> tuple[float, list[str]]:
    top = BEZEL
    _status_bar(c, top)
    app = (title or "").strip() or _("App")
    y = top + STATUS_H + 24
    card_x, card_w = SCREEN_X + 18, SCREEN_W - 36
    inner = card_w - 2 * 20
    start = len(c.shapes)
    y0 = y
    _avatar(c, WIDTH / 2, y + 30, 22, app)
    y += 66
    heading = _("“%(app)s” wants to access:") % {"app": app}
    head_lines = wrap(heading, inner, 16, bold=True)
    for i, line in enumerate(head_lines):
        c.text(WIDTH / 2, y + 16 + i * 16 * LINE_GAP, line, size=16, bold=True, anchor="middle")
    y += 16 + (len(head_lines) - 1) * 16 * LINE_GAP + 18
    transcript = [heading]
    for item in items:
        lines = wrap(item.get("text"), inner - 30, 14)
        c.circle(card_x + 28, y + 10, 8, fill=INFO_BG)
        c.circle(card_x + 28, y + 10, 3.5, fill=PRIMARY)
        c.lines(card_x + 46, y + 15, lines, size=14)
        meta = (item.get("meta") or "").strip()
        h = len(lines) * 14 * LINE_GAP
        if meta:
            c.text(card_x + 46, y + 12 + h, meta, size=11, fill=MUTED)
            h += 15
        y += h + 10
        transcript.append(_line("", item.get("text"), meta))
    y += 6
    half = (inner - 10) / 2
    c.rect(card_x + 20, y, half, 40, fill=SURFACE, stroke=PRIMARY, rx=20)
    c.text(card_x + 20 + half / 2, y + 25, _("Don’t allow"), size=14, fill=PRIMARY, bold=True, anchor="middle")
    c.rect(card_x + 30 + half, y, half, 40, fill=PRIMARY, rx=20)
    c.text(card_x + 30 + half * 1.5, y + 25, _("Allow"), size=14, fill=SURFACE, bold=True, anchor="middle")
    y += 40 + 20
    # The dialog card goes under what was just drawn on it.
    c.shapes.insert(
        start,
        {
            "kind": "rect",
            "x": _n(card_x),
            "y": _n(y0),
            "w": _n(card_w),
            "h": _n(y - y0),
            "rx": 22,
            "fill": SURFACE,
            "stroke": "",
            "opacity": None,
        },
    )
    return y + 24, transcript


def _line(who: str, text, meta: str) -> str:
    text = " ".join(str(text or "").split())
    who = f"{who} ({meta})" if who and meta else who or (f"({meta})" if meta else "")
    return f"{who}: {text}" if who else text


def layout(kind: str, title: str, items: list[dict], *, likes=None, comments=None) -> dict:
    """The drawing as data: width, height, the shapes in drawing order (the phone's frame
    and screen first) and a transcript line per item."""
    if kind not in KINDS:
        raise ValueError(f"unknown screen kind {kind!r}")
    # Ids from the content: the same page renders the same HTML every time (caches, ETags).
    uid = hashlib.sha256(
        json.dumps([kind, title, items, likes, comments], sort_keys=True, default=str).encode()
    ).hexdigest()[:8]
    c = Canvas()
    items = [dict(item) for item in items or []]
    if kind == "chat":
        bottom, transcript = _chat(c, title, items)
    elif kind == "post":
        bottom, transcript = _post(c, title, items, likes, comments)
    elif kind == "notification":
        bottom, transcript = _notification(c, title, items, uid)
    else:
        bottom, transcript = _permission(c, title, items)
    height = _n(bottom + BEZEL)
    screen_fill = {"notification": f"url(#screen-{uid}-sky)", "permission": "#dfe4ee"}.get(kind, SURFACE)
    return {
        "uid": uid,
        "kind": kind,
        "width": WIDTH,
        "height": height,
        "screen": {"x": SCREEN_X, "y": BEZEL, "w": SCREEN_W, "h": _n(height - 2 * BEZEL), "fill": screen_fill},
        "shapes": c.shapes,  # drawn clipped to the screen
        "transcript": transcript,
        "sky": kind == "notification",
    }


def render_screen(
    kind: str, title: str, items: list[dict], *, alt: str, caption: str = "", likes=None, comments=None
) -> str:
    """The drawing as an accessible <figure> with inline SVG (safe HTML)."""
    drawing = layout(kind, title, items, likes=likes, comments=comments)
    return render_to_string(
        "courses/illustrations/screen.html",
        {"drawing": drawing, "alt": (alt or "").strip(), "caption": (caption or "").strip()},
    )


def scenario_items(kind: str, text: str) -> tuple[str, list[dict]]:
    """A quiz scenario (plain text, one item per non-empty line) as (title, items) for a
    frame: a first line ending in a colon is the title (the contact, the app); in a chat a
    line starting "me:" (or "我：") is mine, and "Name: message" shows the sender's name."""
    lines = [line.strip() for line in str(text or "").splitlines() if line.strip()]
    title = ""
    if lines and lines[0].endswith((":", "：")) and len(lines) > 1:
        title = lines.pop(0).rstrip(":：").strip()
    if kind == "post":  # the whole scenario is the post, a paragraph per line
        return title, [{"text": "\n".join(lines)}]
    items = []
    for line in lines:
        if kind == "chat":
            mine = re.match(r"^(me|我)\s*[:：]\s*", line, re.IGNORECASE)
            if mine:
                items.append({"side": "me", "text": _unquote(line[mine.end() :])})
                continue
            named = re.match(r"^([^:：\"“]{1,20})[:：]\s+(.+)$", line) or re.match(r"^([^:：\"“]{1,12})：(.+)$", line)
            if named:
                items.append({"side": "them", "name": named.group(1).strip(), "text": _unquote(named.group(2))})
                continue
            items.append({"side": "them", "text": _unquote(line)})
        else:
            items.append({"text": re.sub(r"^[-•·]\s*", "", line)})
    return title, items


def _unquote(text: str) -> str:
    """A chat bubble without the quotation marks the plain-text scenario needed (a leading
    number, as in '2. "This is our secret"', stays)."""
    number = re.match(r"^\d{1,2}[.)、]\s*", text.strip())
    prefix = number.group(0) if number else ""
    rest = text.strip()[len(prefix) :]
    return prefix + (rest.strip().strip('"“”').strip() or rest.strip())
