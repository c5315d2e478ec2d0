"""What each module supports (issue 17): the Art. 13 literacy dimensions and the parts of the
national 信息科技 and 道德与法治 curriculum standards (2022), from courses/curriculum/standards.yaml,
as labels in the reader's language for the course page, the standards map and its PDF."""

from functools import lru_cache
from pathlib import Path

import yaml

from .curriculum import HERE
from .curriculum.check import STANDARDS_FILE, check_standards_file


class StandardsError(ValueError):
    """standards.yaml breaks a rule in check.py."""


def _stamp(path) -> tuple:
    stat = path.stat()
    return (stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=2)
def _load(directory: str, stamp: tuple) -> dict:
    path = Path(directory) / STANDARDS_FILE
    errors = check_standards_file(sorted(path.parent.glob("m*.yaml")))
    if errors:
        raise StandardsError("; ".join(errors))
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_standards(directory=None) -> dict:
    """The validated file, cached per process until it changes (by size and modification time)."""
    directory = Path(directory or HERE)
    return _load(str(directory), _stamp(directory / STANDARDS_FILE))


def _language_key(code: str) -> str:
    return "zh" if (code or "").lower().startswith("zh") else "en"


def module_standards(module_code: str, code: str) -> dict | None:
    """One module's entry as labels in language `code` (None for a module the file does not map):
    dimensions [{code, label, term_zh}], it {literacies, modules [{label, stage}], strands},
    me {literacies, themes}, and the three sources' titles."""
    data = load_standards()
    entry = data["modules"].get(module_code)
    if entry is None:
        return None
    lang = _language_key(code)
    stages = data["it_stages"]

    def labels(vocabulary: str, keys) -> list[str]:
        return [data[vocabulary][key][lang] for key in keys]

    it_modules = []
    for key in entry["it"]["modules"]:
        label, stage = data["it_modules"][key][lang], stages[data["it_modules"][key]["stage"]][lang]
        text = f"{stage}“{label}”" if lang == "zh" else f"{stage} “{label}”"
        it_modules.append({"label": label, "stage": stage, "text": text})
    return {
        "sep": "、" if lang == "zh" else ", ",
        "sep_list": "；" if lang == "zh" else "; ",
        "sources": {key: value[lang] for key, value in data["sources"].items()},
        "dimensions": [
            {"code": letter, "label": data["dimensions"][letter][lang], "term_zh": data["dimensions"][letter]["zh"]}
            for letter in "MLUS"
            if letter in entry["dimensions"]
        ],
        "it": {
            "literacies": labels("it_literacies", entry["it"]["literacies"]),
            "modules": it_modules,
            "strands": labels("it_strands", entry["it"]["strands"]),
        },
        "me": {
            "literacies": labels("me_literacies", entry["me"]["literacies"]),
            "themes": labels("me_themes", entry["me"]["themes"]),
        },
    }


def module_codes() -> list[str]:
    """M1..M11 in module order."""
    return sorted(load_standards()["modules"], key=lambda c: int(c.lstrip("M") or 0))
