"""Print the reading levels of every lesson with age versions (issue 17):

    .venv/bin/python scripts/reading_levels.py

For each versioned lesson (courses/curriculum/versions/*.yaml): the Flesch-Kincaid grade of the
English normal scenario (the lesson's first scenario block), the younger and the older version;
then the mean sentence length in Han characters of the Chinese normal, younger and older. The
text measured is the scenario prompt, each choice's text and feedback, and (versions only) the
examples, as courses/curriculum/check.py measures it. Targets: SCHEMA.md ("Age versions").
"""

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from courses.curriculum.check import HERE, VERSIONS_DIR, ZH_DIR, reading_level  # noqa: E402

LANGUAGES = ("en", "zh-hans")


def first_scenario(lesson: dict) -> dict:
    """The lesson's first scenario block, as a version (no examples)."""
    block = next((b for b in lesson.get("body") or [] if b.get("type") == "scenario"), None) or {}
    return {"scenario": {"prompt": block.get("prompt", ""), "choices": block.get("choices") or []}, "examples": ""}


def lessons_by_slug(path: Path) -> dict:
    if not path.exists():
        return {}
    return {lesson["slug"]: lesson for lesson in yaml.safe_load(path.read_text(encoding="utf-8"))["lessons"]}


def rows(directory: Path = HERE):
    for path in sorted((directory / VERSIONS_DIR).glob("m*.yaml")):
        module = {
            "en": lessons_by_slug(directory / path.name),
            "zh-hans": lessons_by_slug(directory / ZH_DIR / path.name),
        }
        for lesson in yaml.safe_load(path.read_text(encoding="utf-8"))["lessons"]:
            slug = lesson["slug"]
            row = [path.stem.split("-", 1)[0].upper().replace("M0", "M"), slug]
            for language in LANGUAGES:
                normal = module[language].get(slug)
                row.append(reading_level(first_scenario(normal), language) if normal else None)
                for age in ("younger", "older"):
                    row.append(reading_level(lesson[age][language], language))
            yield row


def main() -> int:
    header = ["module", "lesson", "en normal", "en younger", "en older", "zh normal", "zh younger", "zh older"]
    table = [header] + [
        [cell if isinstance(cell, str) else "-" if cell is None else f"{cell:.1f}" for cell in row] for row in rows()
    ]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for line in table:
        print(
            "  ".join(
                cell.ljust(width) if i < 2 else cell.rjust(width) for i, (cell, width) in enumerate(zip(line, widths))
            )
        )
    print("en: Flesch-Kincaid grade (younger 3.0-5.0, older 7.0-11.0, gap >= 2.5)")
    print("zh: mean sentence length in Han characters (younger 10-16, older 20-30)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
