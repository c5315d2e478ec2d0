"""Course cover illustrations, drawn with Pillow: flat shapes, no text, no downloaded assets.

Every motif is a small function registered in MOTIFS with its colours (a Theme taken from the
design system's palette in site/static/css/netwise.css). `render(name)` draws a 1200x630 RGB
picture; `render_png(name)` returns its PNG bytes, the same bytes for the same motif and code, so
the seed can tell an unchanged cover by its hash.

Shapes are drawn at SCALE times the size and shrunk at the end, because Pillow's shapes have
no anti-aliasing. Coordinates in the motif functions are in 1200x630 space; keep the subject
between x=200 and x=1000, since the catalogue card crops the picture to 16:9.
"""

import io
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 630
SCALE = 3
# Bump when a drawing changes, so the seed redraws the covers of unchanged courses.
VERSION = 1

Color = tuple[int, int, int]


def hex_color(value: str) -> Color:
    value = value.lstrip("#")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


def mix(a: Color, b: Color, amount: float) -> Color:
    """`a` moved `amount` (0..1) of the way towards `b`."""
    return tuple(round(x + (y - x) * amount) for x, y in zip(a, b))


def luminance(color: Color) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Color, b: Color) -> float:
    """WCAG contrast ratio between two colours (1..21)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# The design system's palette: the light theme's --nw-color-* custom properties in
# site/static/css/netwise.css (tests/courses/test_covers.py checks they still match).
PRIMARY = hex_color("#1f5fbf")
PRIMARY_DARK = hex_color("#174a95")
ACCENT = hex_color("#ffd447")
SUCCESS = hex_color("#1d7a3e")
SUCCESS_BG = hex_color("#e5f5ea")
WARNING = hex_color("#8a5300")
WARNING_BG = hex_color("#fff4d6")
DANGER = hex_color("#b3261e")
DANGER_BG = hex_color("#fdeaea")
INFO_BG = hex_color("#e8f0fc")
HELP = hex_color("#7a2fa8")
TEXT = hex_color("#1b1f29")
MUTED = hex_color("#4e5668")
BORDER = hex_color("#cfd5e2")
WHITE = hex_color("#ffffff")  # --nw-color-surface
HELP_BG = mix(HELP, WHITE, 0.88)


@dataclass(frozen=True)
class Theme:
    bg: Color  # the whole picture
    ink: Color  # the subject's main colour: at least 3:1 against bg and halo (tested)
    second: Color  # supporting shapes
    accent: Color  # small highlights

    @property
    def halo(self) -> Color:
        """The soft disc behind the subject."""
        return mix(self.bg, WHITE, 0.65) if luminance(self.bg) > 0.5 else mix(self.bg, PRIMARY, 0.6)

    @property
    def shadow(self) -> Color:
        return mix(self.bg, TEXT, 0.1)


@dataclass(frozen=True)
class Motif:
    name: str
    theme: Theme
    draw: Callable


MOTIFS: dict[str, Motif] = {}


def motif(name: str, theme: Theme):
    """Register the decorated function as the drawing of motif `name`."""

    def register(func):
        MOTIFS[name] = Motif(name, theme, func)
        return func

    return register


# --- geometry ---------------------------------------------------------------------------


def ellipse_points(cx, cy, rx, ry, angle=0.0, steps=72):
    """A (rotated) ellipse as a polygon; `angle` in degrees."""
    a = math.radians(angle)
    points = []
    for i in range(steps):
        t = 2 * math.pi * i / steps
        x, y = rx * math.cos(t), ry * math.sin(t)
        points.append((cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a)))
    return points


def rotate(points, angle, origin):
    a = math.radians(angle)
    ox, oy = origin
    return [
        (ox + (x - ox) * math.cos(a) - (y - oy) * math.sin(a), oy + (x - ox) * math.sin(a) + (y - oy) * math.cos(a))
        for x, y in points
    ]


def curve(p0, p1, p2, steps=24):
    """Quadratic Bezier from p0 to p2 pulled towards p1."""
    return [
        (
            (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t * t * p2[0],
            (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t * t * p2[1],
        )
        for t in (i / steps for i in range(steps + 1))
    ]


def heart_points(cx, cy, size, steps=90):
    """A heart `size` wide, centred on (cx, cy)."""
    k = size / 34
    points = []
    for i in range(steps):
        t = 2 * math.pi * i / steps
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        points.append((cx + x * k, cy - y * k - 1.5 * k))
    return points


def star_points(cx, cy, r, points=4, inner=0.32, angle=0.0):
    """A sparkle (4 points) or star (5 points)."""
    out = []
    for i in range(points * 2):
        radius = r if i % 2 == 0 else r * inner
        a = math.radians(angle - 90 + 180 * i / points)
        out.append((cx + radius * math.cos(a), cy + radius * math.sin(a)))
    return out


# --- drawing ----------------------------------------------------------------------------


class Pen:
    """ImageDraw in 1200x630 coordinates on a SCALE-times larger canvas."""

    def __init__(self, image: Image.Image):
        self.image = image
        self.draw = ImageDraw.Draw(image)

    @staticmethod
    def _p(points):
        return [(x * SCALE, y * SCALE) for x, y in points]

    @staticmethod
    def _box(box):
        return [v * SCALE for v in box]

    def circle(self, cx, cy, r, fill=None, outline=None, width=0):
        self.draw.ellipse(self._box((cx - r, cy - r, cx + r, cy + r)), fill=fill, outline=outline, width=width * SCALE)

    def ellipse(self, box, fill=None, outline=None, width=0):
        self.draw.ellipse(self._box(box), fill=fill, outline=outline, width=width * SCALE)

    def rect(self, box, fill=None, radius=0, outline=None, width=0):
        self.draw.rounded_rectangle(
            self._box(box), radius=radius * SCALE, fill=fill, outline=outline, width=width * SCALE
        )

    def poly(self, points, fill):
        self.draw.polygon(self._p(points), fill=fill)

    def line(self, points, fill, width):
        """A polyline with round ends and joints."""
        self.draw.line(self._p(points), fill=fill, width=width * SCALE, joint="curve")
        for x, y in (points[0], points[-1]):
            self.circle(x, y, width / 2, fill=fill)

    def arc(self, box, start, end, fill, width):
        self.draw.arc(self._box(box), start, end, fill=fill, width=width * SCALE)

    def chord(self, box, start, end, fill):
        self.draw.chord(self._box(box), start, end, fill=fill)

    def crescent(self, cx, cy, r, dx, dy, fill):
        """A disc with an offset disc cut out of it (a moon), whatever lies behind."""
        size = round(2 * r * SCALE)
        mask = Image.new("L", (size, size), 0)
        shape = ImageDraw.Draw(mask)
        shape.ellipse((0, 0, size - 1, size - 1), fill=255)
        shape.ellipse((dx * SCALE, dy * SCALE, size - 1 + dx * SCALE, size - 1 + dy * SCALE), fill=0)
        self.image.paste(fill, (round((cx - r) * SCALE), round((cy - r) * SCALE)), mask)

    def sparkle(self, cx, cy, r, fill, points=4, angle=0.0):
        self.poly(star_points(cx, cy, r, points=points, angle=angle), fill)

    def heart(self, cx, cy, size, fill):
        self.poly(heart_points(cx, cy, size), fill)

    def person(self, cx, top, size, fill, outline=None, stroke=0):
        """Head and shoulders, `size` across the shoulders; an outline keeps the same base line."""
        head = size * 0.24
        x0, y0, x1, y1 = cx - size / 2, top + head * 2.3, cx + size / 2, top + head * 2.3 + size * 1.1
        layers = ((stroke, outline), (0, fill)) if outline else ((0, fill),)
        for grow, color in layers:
            self.circle(cx, top + head, head + grow, fill=color)
            self.chord((x0 - grow, y0 - grow, x1 + grow, y1 + grow), 180, 360, color)

    def bubble(self, box, fill, tail: str = "left", radius=36):
        """A speech bubble with its tail at the bottom left or right."""
        x0, y0, x1, y1 = box
        self.rect(box, fill=fill, radius=radius)
        if tail == "left":
            self.poly([(x0 + 50, y1 - 10), (x0 + 110, y1 - 10), (x0 + 30, y1 + 55)], fill)
        else:
            self.poly([(x1 - 110, y1 - 10), (x1 - 50, y1 - 10), (x1 - 30, y1 + 55)], fill)

    def tick(self, cx, cy, size, fill, width):
        self.line(
            [(cx - size * 0.5, cy), (cx - size * 0.15, cy + size * 0.35), (cx + size * 0.5, cy - size * 0.35)],
            fill,
            width,
        )


def _backdrop(pen: Pen, theme: Theme, name: str):
    """The shared scene: background, a halo behind the subject, a shadow, a few sparkles."""
    pen.rect((0, 0, WIDTH, HEIGHT), fill=theme.bg)
    pen.circle(600, 300, 262, fill=theme.halo)
    pen.ellipse((400, 520, 800, 560), fill=theme.shadow)
    rng = random.Random(name)  # the same confetti for the same motif, every time
    spots = [(150, 120), (1050, 110), (120, 470), (1080, 500), (260, 560), (960, 330), (230, 300), (940, 40)]
    for i, (x, y) in enumerate(spots):
        x, y = x + rng.randint(-20, 20), y + rng.randint(-15, 15)
        color = (theme.accent, theme.second, theme.ink)[i % 3]
        kind = i % 3
        if kind == 0:
            pen.sparkle(x, y, rng.randint(18, 28), color)
        elif kind == 1:
            pen.circle(x, y, rng.randint(9, 14), fill=color)
        else:
            pen.circle(x, y, 14, outline=color, width=5)


def render(name: str) -> Image.Image:
    """The cover for motif `name` as a 1200x630 RGB image; KeyError for an unknown motif."""
    spec = MOTIFS[name]
    image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), spec.theme.bg)
    pen = Pen(image)
    _backdrop(pen, spec.theme, name)
    spec.draw(pen, spec.theme)
    return image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


@cache
def render_png(name: str) -> bytes:
    buffer = io.BytesIO()
    render(name).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# --- the motifs ---------------------------------------------------------------------------


@motif("globe", Theme(bg=INFO_BG, ink=PRIMARY, second=SUCCESS, accent=ACCENT))
def _globe(pen: Pen, t: Theme):
    """A globe with people of different colours in front of it (citizenship)."""
    cx, cy, r = 600, 270, 190
    pen.circle(cx, cy, r, fill=t.ink)
    # Land, clipped roughly by keeping it inside the disc.
    pen.poly(ellipse_points(545, 205, 80, 55, angle=-20), t.second)
    pen.poly(ellipse_points(680, 320, 70, 95, angle=25), t.second)
    pen.poly(ellipse_points(500, 345, 45, 30, angle=10), t.second)
    grid = mix(t.ink, WHITE, 0.35)
    pen.ellipse((cx - 80, cy - r, cx + 80, cy + r), outline=grid, width=6)
    pen.line([(cx, cy - r + 4), (cx, cy + r - 4)], grid, 6)
    for dy, half in ((-95, 160), (0, r - 3), (95, 160)):
        pen.line([(cx - half, cy + dy), (cx + half, cy + dy)], grid, 6)
    pen.circle(cx, cy, r, outline=PRIMARY_DARK, width=8)
    for x, color in ((440, t.accent), (600, HELP), (760, DANGER)):
        pen.person(x, 396, 138, color, outline=WHITE, stroke=8)


@motif("shield-eye", Theme(bg=SUCCESS_BG, ink=SUCCESS, second=PRIMARY, accent=ACCENT))
def _shield_eye(pen: Pen, t: Theme):
    """A shield with a watchful eye (privacy)."""

    def shield(inset):
        top, bottom, left, right = 95 + inset, 520 - inset * 1.4, 430 + inset, 770 - inset
        return (
            curve((left, top + 40), (600, top - 10), (600, top))[:-1]
            + curve((600, top), (600, top - 10), (right, top + 40))
            + curve((right, top + 40), (right + 5, 380), (600, bottom))[1:]
            + curve((600, bottom), (left - 5, 380), (left, top + 40))[1:]
        )

    pen.poly(shield(0), t.ink)
    pen.poly(shield(24), mix(t.ink, WHITE, 0.18))
    eye = curve((480, 300), (600, 190), (720, 300)) + curve((720, 300), (600, 410), (480, 300))[1:]
    pen.poly(eye, WHITE)
    pen.circle(600, 300, 52, fill=t.second)
    pen.circle(600, 300, 24, fill=TEXT)
    pen.circle(615, 285, 10, fill=WHITE)
    pen.sparkle(815, 125, 30, t.accent)


@motif("padlock", Theme(bg=WARNING_BG, ink=PRIMARY, second=SUCCESS, accent=ACCENT))
def _padlock(pen: Pen, t: Theme):
    """A padlock beside a password field full of dots (passwords and accounts)."""
    pen.arc((320, 110, 500, 330), 180, 360, PRIMARY_DARK, 36)
    pen.rect((320 - 18, 215, 320 + 18, 270), fill=PRIMARY_DARK)
    pen.rect((500 - 18, 215, 500 + 18, 270), fill=PRIMARY_DARK)
    pen.rect((280, 250, 540, 480), fill=t.ink, radius=34)
    pen.circle(410, 345, 30, fill=t.accent)
    pen.poly([(398, 350), (422, 350), (432, 420), (388, 420)], t.accent)
    # The password field: white box, eight dots, a cursor, a green tick.
    pen.rect((590, 300, 960, 400), fill=WHITE, radius=24, outline=t.ink, width=6)
    for i in range(8):
        pen.circle(635 + i * 34, 350, 11, fill=TEXT)
    pen.rect((912, 322, 920, 378), fill=t.ink, radius=4)
    pen.circle(940, 285, 38, fill=t.second)
    pen.tick(940, 285, 40, WHITE, 10)


# One bare right foot pointing up, centred on the ball of the foot: (x, y, rx, ry) ellipses.
FOOT_SOLE = ((0, 0, 27, 42), (-4, 52, 20, 28))
FOOT_TOES = ((-12, -56, 12), (6, -59, 9), (20, -53, 8), (30, -43, 7), (36, -31, 6))


@motif("footprints", Theme(bg=HELP_BG, ink=HELP, second=PRIMARY, accent=ACCENT))
def _footprints(pen: Pen, t: Theme):
    """A trail of footprints walking up and across, ending in a sparkle (digital footprint)."""
    heading = -58  # degrees above the horizontal, walking right
    turn = 90 + heading  # rotates "pointing up" onto the heading
    dx, dy = math.cos(math.radians(heading)), math.sin(math.radians(heading))
    for i in range(4):
        side = 1 if i % 2 else -1  # right foot on the right of the path
        cx = 500 + i * 108 * dx - side * 30 * dy
        cy = 455 + i * 108 * dy + side * 30 * dx
        color = mix(t.ink, t.second, 1 - i / 3)
        for x, y, rx, ry in FOOT_SOLE:
            centre = rotate([(cx + side * x, cy + y)], turn, (cx, cy))[0]
            pen.poly(ellipse_points(*centre, rx, ry, angle=turn), color)
        for x, y, r in FOOT_TOES:
            pen.circle(*rotate([(cx + side * x, cy + y)], turn, (cx, cy))[0], r, fill=color)
    pen.sparkle(800, 110, 46, t.accent)
    pen.sparkle(865, 185, 20, t.second)


@motif("magnifier", Theme(bg=INFO_BG, ink=PRIMARY_DARK, second=SUCCESS, accent=ACCENT))
def _magnifier(pen: Pen, t: Theme):
    """A magnifying glass checking a news post (rumours and fact-checking)."""
    pen.rect((330, 120, 690, 500), fill=WHITE, radius=24, outline=BORDER, width=4)
    pen.rect((365, 155, 655, 265), fill=mix(t.ink, WHITE, 0.75), radius=14)
    pen.poly([(380, 255), (450, 190), (500, 235), (545, 200), (640, 255)], mix(t.ink, WHITE, 0.45))
    pen.circle(600, 190, 18, fill=t.accent)
    for y, right in ((300, 640), (335, 600), (370, 630), (405, 540), (440, 610)):
        pen.rect((365, y, right, y + 14), fill=BORDER, radius=7)
    # The glass: handle first, then ring and lens.
    pen.line([(745, 385), (860, 500)], WARNING, 46)
    pen.circle(660, 300, 120, fill=WHITE)
    pen.circle(660, 300, 120, outline=t.ink, width=30)
    pen.tick(660, 300, 110, t.second, 24)
    pen.arc((575, 215, 745, 385), 200, 250, mix(t.ink, WHITE, 0.7), 10)


@motif("fish-hook", Theme(bg=DANGER_BG, ink=TEXT, second=DANGER, accent=ACCENT))
def _fish_hook(pen: Pen, t: Theme):
    """A fishing hook baited with a message, and a warning sign (scams)."""
    # Line, eye, shank and bend (stroke centres on a radius of 70 around (500, 400)).
    pen.line([(570, 0), (570, 100)], MUTED, 5)
    pen.circle(570, 118, 18, outline=t.ink, width=9)
    pen.line([(570, 136), (570, 400)], t.ink, 20)
    pen.arc((420, 320, 580, 480), 0, 180, t.ink, 20)
    pen.line([(430, 400), (430, 250)], t.ink, 20)
    # The bait: an envelope on the hook, its point coming out through the top.
    centre = (440, 300)
    pen.poly(rotate([(360, 250), (520, 250), (520, 355), (360, 355)], -10, centre), t.second)
    pen.poly(rotate([(372, 262), (508, 262), (508, 343), (372, 343)], -10, centre), WHITE)
    pen.line(rotate([(376, 268), (440, 318), (504, 268)], -10, centre), t.second, 7)
    pen.line([(430, 255), (430, 225)], t.ink, 20)
    pen.poly([(420, 232), (430, 190), (440, 232)], t.ink)
    pen.poly([(438, 222), (462, 252), (438, 240)], t.ink)  # the barb
    # The warning sign, corners rounded by a stroke of the same colour.
    sign = [(800, 185), (895, 355), (705, 355)]
    pen.poly(sign, t.accent)
    pen.line([*sign, sign[0]], t.accent, 24)
    pen.rect((790, 240, 810, 310), fill=t.ink, radius=10)
    pen.circle(800, 335, 12, fill=t.ink)


@motif("speech-bubbles", Theme(bg=WARNING_BG, ink=PRIMARY, second=SUCCESS, accent=DANGER))
def _speech_bubbles(pen: Pen, t: Theme):
    """Kind words: speech bubbles with a heart, a smile and typing dots (respectful speech)."""
    pen.bubble((300, 120, 610, 330), t.ink, tail="left")
    pen.heart(455, 228, 120, WHITE)
    pen.bubble((590, 260, 900, 450), t.second, tail="right")
    for i in range(3):
        pen.circle(680 + i * 65, 355, 20, fill=WHITE)
    pen.bubble((380, 390, 560, 500), ACCENT, tail="left", radius=28)
    pen.circle(440, 432, 9, fill=TEXT)
    pen.circle(500, 432, 9, fill=TEXT)
    pen.arc((435, 420, 505, 480), 20, 160, TEXT, 7)
    pen.heart(850, 170, 60, t.accent)


@motif("moon-clock", Theme(bg=PRIMARY_DARK, ink=ACCENT, second=WHITE, accent=ACCENT))
def _moon_clock(pen: Pen, t: Theme):
    """A crescent moon over a clock at bedtime, with stars (healthy use)."""
    pen.crescent(470, 250, 150, 70, -40, t.ink)
    pen.circle(700, 380, 120, fill=WHITE)
    pen.circle(700, 380, 120, outline=PRIMARY, width=14)
    for hour in range(12):
        a = math.radians(hour * 30)
        length = 20 if hour % 3 == 0 else 10
        outer = (700 + 92 * math.sin(a), 380 - 92 * math.cos(a))
        inner = (700 + (92 - length) * math.sin(a), 380 - (92 - length) * math.cos(a))
        pen.line([inner, outer], PRIMARY_DARK, 7)
    pen.line([(700, 380), (640, 380)], TEXT, 14)  # hour hand at nine
    pen.line([(700, 380), (700, 300)], TEXT, 10)
    pen.circle(700, 380, 13, fill=DANGER)
    for x, y, r in ((650, 140, 26), (760, 200, 16), (330, 420, 18), (860, 120, 12)):
        pen.sparkle(x, y, r, t.second, points=4)


@motif("hearts", Theme(bg=DANGER_BG, ink=DANGER, second=PRIMARY, accent=ACCENT))
def _hearts(pen: Pen, t: Theme):
    """Two friends chatting, a heart in the bubble between them (online relationships)."""
    pen.person(430, 250, 210, t.second)
    pen.person(770, 250, 210, HELP)
    pen.rect((395, 350, 460, 460), fill=TEXT, radius=12)  # their phones
    pen.rect((740, 350, 805, 460), fill=TEXT, radius=12)
    pen.rect((405, 362, 450, 440), fill=INFO_BG, radius=6)
    pen.rect((750, 362, 795, 440), fill=INFO_BG, radius=6)
    pen.bubble((505, 95, 695, 235), WHITE, tail="left", radius=40)
    pen.heart(600, 168, 95, t.ink)
    pen.heart(690, 85, 40, t.ink)
    pen.heart(505, 60, 28, t.accent)


@motif("scales", Theme(bg=INFO_BG, ink=PRIMARY_DARK, second=ACCENT, accent=HELP))
def _scales(pen: Pen, t: Theme):
    """Balanced scales of justice (the law and your rights)."""
    pen.rect((588, 150, 612, 470), fill=t.ink, radius=10)
    pen.rect((500, 462, 700, 495), fill=t.ink, radius=14)
    pen.rect((540, 440, 660, 470), fill=t.ink, radius=10)
    pen.line([(390, 185), (810, 185)], t.ink, 18)
    pen.circle(600, 160, 28, fill=t.second)
    pen.circle(600, 160, 28, outline=t.ink, width=7)
    for x in (410, 790):
        pen.circle(x, 185, 14, fill=t.ink)
        pen.line([(x, 190), (x - 75, 370)], t.ink, 5)
        pen.line([(x, 190), (x + 75, 370)], t.ink, 5)
        pen.chord((x - 105, 300, x + 105, 440), 0, 180, t.second)
        pen.arc((x - 105, 300, x + 105, 440), 0, 180, t.ink, 7)
        pen.line([(x - 105, 370), (x + 105, 370)], t.ink, 7)


@motif("pencil-sparkle", Theme(bg=HELP_BG, ink=HELP, second=PRIMARY, accent=ACCENT))
def _pencil_sparkle(pen: Pen, t: Theme):
    """A pencil drawing a swirl, with sparkles for ideas and AI (creators and AI)."""
    swirl = curve((230, 430), (280, 350), (320, 425)) + curve((320, 425), (360, 500), (420, 451))[1:]
    pen.line(swirl, t.second, 14)
    # The pencil lying flat, pointing left, then turned to write.
    parts = [
        ([(760, 270), (830, 270), (830, 330), (760, 330)], mix(DANGER, WHITE, 0.45)),  # eraser
        ([(735, 270), (765, 270), (765, 330), (735, 330)], BORDER),  # metal band
        ([(430, 270), (760, 270), (760, 330), (430, 330)], t.accent),  # body
        ([(430, 270), (430, 330), (365, 300)], mix(WARNING_BG, WARNING, 0.3)),  # wood
        ([(385, 290), (385, 310), (365, 300)], TEXT),  # lead
        ([(430, 290), (735, 290), (735, 298), (430, 298)], mix(t.accent, WARNING, 0.35)),
    ]
    for points, color in parts:
        pen.poly(rotate(points, -40, (600, 300)), color)
    pen.sparkle(830, 135, 56, t.ink)
    pen.sparkle(880, 260, 28, t.second)
    pen.sparkle(720, 110, 22, t.accent)
    pen.sparkle(870, 390, 18, t.ink)
