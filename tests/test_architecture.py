"""The seams import-linter cannot see: which *names* learning takes from quizzes.

learning reads quiz results only through quizzes' public API (selectors, services, signals,
and the page/question models for page types and foreign keys): it never imports the attempt,
response, choice or statistics models, nor any private name of any quizzes module.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_NAMES = {"Attempt", "Response", "Choice", "ItemStatistic"}


def quiz_imports(path: Path):
    """(line, module, name) for every name a file imports from a quizzes module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "quizzes" or node.module.startswith("quizzes."):
                for alias in node.names:
                    yield node.lineno, node.module, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("quizzes."):
                    yield node.lineno, alias.name, ""


def violations(paths, root=ROOT):
    found = []
    for path in paths:
        for line, module, name in quiz_imports(path):
            last = module.rsplit(".", 1)[-1]
            if name in FORBIDDEN_NAMES or name.startswith("_") or last.startswith("_"):
                found.append(f"{path.relative_to(root)}:{line}: from {module} import {name}")
    return found


def test_learning_reads_quizzes_only_through_its_public_api():
    paths = sorted((ROOT / "learning").rglob("*.py"))
    assert len(paths) > 10
    assert violations(paths) == []


def test_the_check_catches_what_it_forbids(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from quizzes.models import Attempt, QuizPage\n"
        "def f():\n"
        "    from quizzes.statistics import _chosen\n"
        "    from quizzes.selectors import results_for\n"
    )
    assert violations([bad], root=tmp_path) == [
        "bad.py:1: from quizzes.models import Attempt",
        "bad.py:3: from quizzes.statistics import _chosen",
    ]
