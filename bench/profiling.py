"""Helpers for the `_profile_*` scripts: CPU per request over some runs, and one cProfile
of a request (not timed; see bench/dashboards.py timed_get for the latency figures)."""

import cProfile
import pstats
import time


def cpu_ms(client, url, runs: int) -> list[float]:
    """Process CPU of `runs` GETs of `url`, in ms, sorted."""
    cpus = []
    for _ in range(runs):
        t0 = time.process_time()
        client.get(url)
        cpus.append((time.process_time() - t0) * 1000)
    return sorted(cpus)


def cpu_line(cpus: list[float]) -> str:
    return f"min {cpus[0]:.0f} median {cpus[len(cpus) // 2]:.0f} max {cpus[-1]:.0f}"


def print_profile(client, url, top: int, *restrict) -> None:
    """The top `top` entries of one GET, by cumulative time (only entries matching `restrict`
    when given) and by own time."""
    pr = cProfile.Profile()
    pr.enable()
    client.get(url)
    pr.disable()
    st = pstats.Stats(pr)
    st.sort_stats("cumulative").print_stats(*restrict, top)
    st.sort_stats("tottime").print_stats(top)
