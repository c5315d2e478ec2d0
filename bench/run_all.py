"""Run every benchmark script in bench/ (each prints `name: value unit` lines), then one table.

    .venv/bin/python bench/run_all.py                      # every NetWise bench
    BENCH_KOLIBRI=1 .venv/bin/python bench/run_all.py      # and Kolibri's class summary first
    BENCH_ONLY=dashboards,district .venv/bin/python bench/run_all.py
    BENCH_SITTINGS=3 BENCH_KOLIBRI=1 BENCH_ONLY=dashboards .venv/bin/python bench/run_all.py

With BENCH_KOLIBRI=1 the Kolibri bench (../shared/bench/kolibri/run.sh, or BENCH_KOLIBRI_SCRIPT)
runs right before NetWise's in each sitting, on the same machine, and the table gives NetWise's
p95 over Kolibri's for the teacher dashboard at 40 and 400 learners (the issue asks ≤ 0.4 and
≤ 0.25). The machine's load average is printed with every sitting: times on a shared machine
move a lot, ratios within one sitting much less.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LINE = re.compile(r"^([\w.]+): (\S+)(?: (.*))?$")
KOLIBRI = Path(os.environ.get("BENCH_KOLIBRI_SCRIPT", HERE.parent.parent / "shared" / "bench" / "kolibri" / "run.sh"))
if not KOLIBRI.exists():  # a worktree under /work/wt/<name>: the shared folder is two levels up
    KOLIBRI = HERE.parent.parent.parent / "shared" / "bench" / "kolibri" / "run.sh"

# (label, NetWise figure, Kolibri figure, target ratio or None)
RATIOS = [
    ("class dashboard p95, 40 learners", "teacher_dashboard_p95_ms", "kolibri_class_summary_p95_ms_40", 0.4),
    ("class dashboard p95, 400 learners", "teacher_dashboard_400_p95_ms", "kolibri_class_summary_p95_ms_400", 0.25),
    ("class dashboard queries, 40", "teacher_dashboard_queries_40x60", "kolibri_class_summary_queries_40", None),
    ("class dashboard queries, 400", "teacher_dashboard_queries_400", "kolibri_class_summary_queries_400", None),
]
# (label, figure, target, "max"/"min")
TARGETS = [
    ("school overview p95, 2,000 students (ms)", "school_overview_p95_ms", 300, "max"),
    ("school overview queries", "school_overview_queries", None, None),
    ("school overview CPU median, 2,000 students (ms)", "school_overview_cpu_median_ms", None, None),
    ("quiz submit server CPU, bare / submit", "quiz_submit.server_cpu_ratio_vs_bare", 0.5, "min"),
    ("quiz submit lost attempts", "quiz_submit.lost_attempts", 0, "max"),
    ("quiz submit duplicate attempts", "quiz_submit.duplicate_attempts", 0, "max"),
    ("district overview p95, 50 schools (ms)", "district_overview_p95_ms_50", 300, "max"),
    ("district overview queries, 50 schools", "district_overview_queries_50", None, None),
]


def load():
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def run(cmd, figures):
    """Run one bench, echo its output, keep its `name: value` lines."""
    proc = subprocess.Popen(cmd, cwd=HERE.parent, stdout=subprocess.PIPE, text=True)
    for line in proc.stdout:
        print(line, end="", flush=True)
        m = LINE.match(line.strip())
        if m:
            figures[m.group(1)] = m.group(2)
    return proc.wait()


def number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def table(sittings):
    print("\n| figure | " + " | ".join(f"sitting {i + 1} (load {s['load']})" for i, s in enumerate(sittings)) + " |")
    print("|---|" + "---|" * len(sittings))
    for label, ours, theirs, target in RATIOS:
        if not any(ours in s["figures"] for s in sittings):
            continue
        cells = []
        for s in sittings:
            a, b = number(s["figures"].get(ours)), number(s["figures"].get(theirs))
            if a is None:
                cells.append("—")
            elif b:
                ok = "" if target is None else (" ✓" if a / b <= target else " ✗")
                cells.append(f"{a:g} / {b:g} = {a / b:.2f}{ok}")
            else:
                cells.append(f"{a:g} (Kolibri not run)")
        goal = f" (NetWise / Kolibri, target ≤ {target})" if target else " (NetWise / Kolibri)"
        print(f"| {label}{goal} | " + " | ".join(cells) + " |")
    for label, name, target, kind in TARGETS:
        if not any(name in s["figures"] for s in sittings):
            continue
        cells = []
        for s in sittings:
            v = number(s["figures"].get(name))
            if v is None:
                cells.append("—")
                continue
            ok = ""
            if target is not None:
                ok = " ✓" if (v <= target if kind == "max" else v >= target) else " ✗"
            cells.append(f"{v:g}{ok}")
        goal = "" if target is None else f" ({'≤' if kind == 'max' else '≥'} {target})"
        print(f"| {label}{goal} | " + " | ".join(cells) + " |")


def main() -> int:
    only = {n.strip() for n in os.environ.get("BENCH_ONLY", "").split(",") if n.strip()}
    with_kolibri = os.environ.get("BENCH_KOLIBRI") == "1"
    scripts = [
        s
        for s in sorted(HERE.glob("*.py"))
        if s.name not in ("run_all.py", "__init__.py") and not s.name.startswith("_") and (not only or s.stem in only)
    ]
    failed = 0
    sittings = []
    for n in range(int(os.environ.get("BENCH_SITTINGS", 1))):
        sitting = {"load": load(), "figures": {}}
        print(f"# sitting {n + 1}, load average {sitting['load']}", flush=True)
        if with_kolibri:
            print(f"# kolibri: {KOLIBRI}", flush=True)
            if run(["bash", str(KOLIBRI)], sitting["figures"]):
                print("# kolibri bench failed", flush=True)
                failed += 1
        for script in scripts:
            print(f"# {script.name}", flush=True)
            code = run([sys.executable, str(script)], sitting["figures"])
            if code:
                print(f"# {script.name} failed with exit code {code}", flush=True)
                failed += 1
        sitting["load"] = f"{sitting['load']}→{load()}"
        sittings.append(sitting)
    table(sittings)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
