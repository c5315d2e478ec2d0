"""The curriculum files (mNN-*.yaml) as parsed dicts, validated by the rules in check.py.

Other apps reuse this: quizzes/seed.py reads each course's `quiz:` section from
`load_all()`; courses/seed.py turns the rest into pages.
"""

import copy
from functools import lru_cache
from pathlib import Path

import yaml

from .check import HERE, MIN_LESSON_WORDS, TOPICS, block_words, check_course  # noqa: F401

__all__ = ["CurriculumError", "curriculum_files", "load_all", "load_file", "lesson_words"]


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


def lesson_words(lesson: dict) -> int:
    """Words of teaching in a lesson dict, counted the way check.py counts them."""
    return sum(block_words(b) for b in lesson.get("body") or [])
