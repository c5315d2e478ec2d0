"""Design rules that import-linter cannot see (design.md §4, docs/architecture.md)."""

import ast
import io
import re
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "accounts",
    "notifications",
    "jobs",
    "schools",
    "courses",
    "quizzes",
    "safeguarding",
    "learning",
    "districts",
    "demo",
]
# Which apps each app may name (import, or refer to as "app.Model"): design.md §4.
BUILDS_ON = {
    "accounts": set(),
    "notifications": {"accounts"},
    "jobs": {"accounts"},
    "schools": {"accounts", "notifications", "jobs"},
    "courses": {"accounts", "notifications", "jobs"},
    "quizzes": {"accounts", "notifications", "jobs", "courses"},
    "safeguarding": {"accounts", "notifications", "jobs", "schools"},
    "learning": set(APPS) - {"learning", "districts", "demo"},
    "districts": set(APPS) - {"districts", "demo"},
    "demo": set(APPS) - {"demo"},  # the demo world: the top layer, nothing imports it
}
# Upward references written as strings, each with the reason it is there.
ALLOWED_STRING_REFERENCES = {
    ("courses/models.py", "quizzes.QuizPage"): "Wagtail's subpage_types names the quiz page a course may hold; "
    "Wagtail resolves it lazily, so courses imports nothing of quizzes.",
}
MODEL_REF = re.compile(r"^(" + "|".join(APPS) + r")\.[A-Z]\w*$")


def _sources(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(), filename=str(path))


def test_apps_name_only_apps_they_build_on_even_in_strings():
    """A model named as "app.Model" is a dependency import-linter cannot see."""
    found = []
    for app in APPS:
        for path, tree in _sources(app):
            rel = str(path.relative_to(ROOT))
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and MODEL_REF.match(node.value):
                    other = node.value.split(".")[0]
                    if (
                        other != app
                        and other not in BUILDS_ON[app]
                        and (rel, node.value) not in ALLOWED_STRING_REFERENCES
                    ):
                        found.append(f"{rel}:{node.lineno} names {node.value}")
    assert not found, "\n".join(found)


def test_allowed_string_references_still_exist():
    """The allow-list shrinks with the code: an entry that matches nothing is stale."""
    for (rel, ref), _reason in ALLOWED_STRING_REFERENCES.items():
        assert f'"{ref}"' in (ROOT / rel).read_text(), (rel, ref)


ROLE_VALUES = {"student", "teacher", "guardian", "school_admin", "editor", "district_officer"}


def test_roles_are_compared_through_the_role_enum_only():
    """`user.role == "student"` hides a role check from readers and from Role's renames."""
    found = []
    for app in APPS:
        for path, tree in _sources(app):
            for node in ast.walk(tree):
                if isinstance(node, ast.Compare):
                    operands = [node.left, *node.comparators]
                    if any(isinstance(o, ast.Constant) and o.value in ROLE_VALUES for o in operands):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, "\n".join(found)


def test_views_check_roles_with_role_required_only():
    """The one way a view names the kinds of account it serves (accounts.decorators)."""
    pattern = re.compile(r"def (_role_required|_require_student|_require_staff|roles_only)\b")
    found = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*views.py")
        if pattern.search(path.read_text())
    ]
    assert not found, found


# Function-level imports that predate the rule: (module, function) -> why it is still listed.
# The list only shrinks (it is empty: every import sits at the top or says why it does not).
PENDING_FUNCTION_IMPORTS: dict[tuple[str, str], str] = {}
NOQA = re.compile(r"noqa(:\s*[A-Z]+\d+(\s*,\s*[A-Z]+\d+)*)?", re.IGNORECASE)


def _reason_comments(source):
    """line number -> the comment's words, without `noqa` codes (a bare `# noqa` is no reason)."""
    comments = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            words = NOQA.sub("", token.string.lstrip("#")).strip(" -:")
            if re.search(r"\w", words):
                comments[token.start[0]] = words
    return comments


def _function_level_imports():
    """(module, function, line) of every import inside a function with no reason beside it."""
    found = []
    for app in [*APPS, "config"]:
        for path, tree in _sources(app):
            reasons = _reason_comments(path.read_text())
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(function):
                    if isinstance(node, ast.Import | ast.ImportFrom) and not (
                        node.lineno in reasons or node.lineno - 1 in reasons
                    ):
                        found.append((str(path.relative_to(ROOT)), function.name, node.lineno))
    return found


def test_imports_sit_at_the_top_unless_a_comment_says_why():
    """An import inside a function hides a dependency from readers and tools; one stays only to
    break a cycle on purpose, in AppConfig.ready(), or for a heavy module few paths need, and
    says so on its line or the line before."""
    found = [
        f"{rel}:{line} in {function}()"
        for rel, function, line in _function_level_imports()
        if (rel, function) not in PENDING_FUNCTION_IMPORTS
    ]
    assert not found, "\n".join(found)


def test_pending_function_imports_still_exist():
    """An allow-list entry whose imports have moved to the top (or gained a reason) is stale."""
    remaining = {(rel, function) for rel, function, _line in _function_level_imports()}
    stale = sorted(set(PENDING_FUNCTION_IMPORTS) - remaining)
    assert not stale, stale


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path, tree):
    """Modules of the project that `path` imports, at the top or inside a function (an import
    inside a function hides a loop from the reader; it does not remove it)."""
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            module = ".".join(p for p in (base if node.level else "", node.module or "") if p)
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)  # `from . import x` names a module


def _import_cycles(app):
    modules = {_module_name(path): (path, tree) for path, tree in _sources(app)}
    graph = {
        name: {m for m in _imports(path, tree) if m in modules and m != name} for name, (path, tree) in modules.items()
    }
    cycles, done = [], set()

    def visit(name, stack):
        if name in stack:
            cycles.append(" -> ".join([*stack[stack.index(name) :], name]))
            return
        if name in done:
            return
        for other in sorted(graph[name]):
            visit(other, [*stack, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    return cycles


def test_no_import_loops_inside_an_app():
    """Two modules of one app importing each other, even from inside a function, is a knot a
    reader cannot untie: move the shared piece to a lower module instead."""
    found = [cycle for app in APPS for cycle in _import_cycles(app)]
    assert not found, "\n".join(found)


def test_the_loop_check_finds_a_loop(tmp_path, monkeypatch):
    app = tmp_path / "loopy"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text("from .selectors import x\n")
    (app / "selectors.py").write_text("def f():\n    from .models import y\n")
    (app / "views.py").write_text("from loopy.selectors import x\nfrom . import models\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert _import_cycles("loopy") == ["loopy.models -> loopy.selectors -> loopy.models"]
