"""The curriculum files (mNN-*.yaml) as parsed dicts, validated by the rules in check.py.

Other apps reuse this: quizzes/seed.py reads each course's `quiz:` section from
`load_all()`; courses/seed.py turns the rest into pages.
"""

import copy
from functools import lru_cache
from pathlib import Path

import yaml

from .check import (  # noqa: F401
    GUIDES_DIR,
    HERE,
    MIN_LESSON_WORDS,
    TOPICS,
    VERSIONS_DIR,
    ZH_DIR,
    block_words,
    check_course,
    check_guide,
    check_versions,
    check_zh_course,
)

__all__ = [
    "CurriculumError",
    "curriculum_files",
    "load_all",
    "load_file",
    "load_zh",
    "load_guide",
    "load_versions",
    "lesson_words",
]


class CurriculumError(ValueError):
    """A curriculum file breaks a rule in check.py."""


def curriculum_files(directory: Path | None = None) -> list[Path]:
    return sorted(Path(directory or HERE).glob("m*.yaml"))


def load_file(path: Path, *, validate: bool = True) -> dict:
    """One file as a dict, with `_path` and `_source` (raw text, for change detection)."""
    path = Path(path)
    source = path.read_text(encoding="utf-8")
    data = yaml.safe_load(source)
    if validate:
        errors = check_course(data, path.name)
        if errors:
            raise CurriculumError("; ".join(errors))
    data["_path"] = str(path)
    data["_source"] = source
    return data


@lru_cache(maxsize=4)
def _load_all_cached(directory: str, stamp: tuple) -> tuple:
    return tuple(load_file(p) for p in curriculum_files(Path(directory)))


def load_all(directory: Path | None = None) -> list[dict]:
    """Every course file, in module order, validated; raises CurriculumError on a bad file.

    Cached per process until a file changes (by name, size and modification time)."""
    directory = Path(directory or HERE)
    files = curriculum_files(directory)
    stamp = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    return copy.deepcopy(list(_load_all_cached(str(directory), stamp)))


def zh_path(data: dict) -> Path:
    """Where the Chinese counterpart of a loaded English file lives (it may not exist)."""
    path = Path(data["_path"])
    return path.parent / ZH_DIR / path.name


def load_zh(data: dict) -> dict | None:
    """The zh-hans file matching the loaded English `data`, validated against it, or None
    when it does not exist yet; raises CurriculumError on a file that breaks parity."""
    path = zh_path(data)
    if not path.exists():
        return None
    source = path.read_text(encoding="utf-8")
    zh = yaml.safe_load(source)
    english = {k: v for k, v in data.items() if not k.startswith("_")}
    errors = check_zh_course(english, zh, f"{ZH_DIR}/{path.name}")
    if errors:
        raise CurriculumError("; ".join(errors))
    zh["_path"] = str(path)
    return zh


def _load_companion(data: dict, folder: str, check):
    """The file in `folder` with the loaded English module `data`'s file name, validated with
    `check(companion, module, file name)`, or None when there is none; raises CurriculumError
    on a file that breaks the rules."""
    path = Path(data["_path"]).parent / folder / Path(data["_path"]).name
    if not path.exists():
        return None
    companion = yaml.safe_load(path.read_text(encoding="utf-8"))
    english = {k: v for k, v in data.items() if not k.startswith("_")}
    errors = check(companion, english, path.name)
    if errors:
        raise CurriculumError("; ".join(errors))
    return companion


def load_guide(data: dict) -> dict | None:
    """The teacher guides and family letter for the loaded English module `data`
    (guides/<same file name>), or None when there is no guide file."""
    return _load_companion(data, GUIDES_DIR, check_guide)


def load_versions(data: dict) -> dict | None:
    """The age versions for the loaded English module `data` (versions/<same file name>) as
    {lesson slug: {"younger": {"en": ..., "zh-hans": ...}, "older": ...}}, or None when the
    module has no versions file."""
    versions = _load_companion(data, VERSIONS_DIR, check_versions)
    if versions is None:
        return None
    return {lesson["slug"]: {age: lesson[age] for age in ("younger", "older")} for lesson in versions["lessons"]}


def lesson_words(lesson: dict) -> int:
    """Words of teaching in a lesson dict, counted the way check.py counts them."""
    return sum(block_words(b) for b in lesson.get("body") or [])
