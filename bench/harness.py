"""What the benchmark scripts share: isolated measurements, cached graphs, tables, targets.

Every measured step runs in a child process of its own (``multiprocessing`` spawn for
library calls, a plain subprocess for CLI commands), so one step's memory never inflates the
next one's peak and each starts from a cold interpreter. Peak memory is the child's peak
resident set size, ``VmHWM`` in /proc (read by the child itself, or sampled by the parent
every few ms for a command); it includes the interpreter and the libraries the step imports.
``ru_maxrss`` is not used: after a fork and exec it also counts the parent's resident pages.

A step may be capped in time: the parent then stops the child and keeps what it had
reported so far (a step reports its figures one by one, e.g. the load time before the query
time) plus a lower bound for the figure it was measuring, so one pathological case costs a
bounded amount of the run and still shows as "> N s".
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import generate  # bench/generate.py: the scripts run from bench/, which is first on sys.path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
VENV_BIN = Path(sys.executable).parent
KGRAPH = VENV_BIN / "kgraph"

PACKAGES = ("pyoxigraph", "rdflib", "networkx", "igraph", "pyvis", "pyshacl", "click")
STARTED = "started"  # the value a step reports for a figure it starts measuring


# -- sizes and graphs -----------------------------------------------------------------------

def parse_size(text: str) -> int:
    """'10k' -> 10000, '1M' -> 1000000, '2500' -> 2500."""
    t = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t[:-1] if scale > 1 else t) * scale)


def size_label(n: int) -> str:
    """1000000 -> '1M', 10000 -> '10k', 2500 -> '2.5k'."""
    for scale, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= scale:
            return f"{n / scale:g}{suffix}"
    return str(n)


def graph_file(*, triples: int | None = None, orgs: int | None = None, seed: int = 1) -> Path:
    """The synthetic graph of that size and seed, generated into bench/out once and reused
    (with a .json beside it holding the generator's counts, see :func:`graph_counts`)."""
    n_orgs = orgs if orgs is not None else generate.orgs_for_triples(triples)
    path = OUT / f"orgs-{n_orgs}-seed{seed}.ttl"
    counts_file = path.with_suffix(".json")
    if not (path.exists() and counts_file.exists()):
        OUT.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        t0 = time.perf_counter()
        with open(tmp, "w", encoding="utf-8", buffering=1 << 20) as f:
            counts = generate.generate(f, n_orgs, seed)
        tmp.replace(path)
        counts_file.write_text(json.dumps(counts) + "\n", encoding="utf-8")
        print(f"  generated {path.relative_to(ROOT)}: {counts['triples']:,} triples, "
              f"{n_orgs:,} organisations in {time.perf_counter() - t0:.1f} s", flush=True)
    return path


def graph_counts(path: Path) -> dict[str, int]:
    """What :func:`graph_file` generated: triples, organisations, flows, ..."""
    return json.loads(Path(path).with_suffix(".json").read_text(encoding="utf-8"))


# -- isolated measurements ------------------------------------------------------------------

@dataclass
class Measured:
    """What a step reported (its own timings and counts), its peak RSS and how it ended.

    ``lower`` holds, for the figure being measured when the step was stopped at its cap, the
    time it had run: a lower bound.
    """

    figures: dict[str, object] = field(default_factory=dict)
    lower: dict[str, float] = field(default_factory=dict)
    started: dict[str, float] = field(default_factory=dict)
    peak_mb: float | None = None
    wall_s: float = 0.0
    capped: bool = False  # stopped at its time cap
    error: str | None = None

    def get(self, key: str):
        """A reported figure, or None."""
        return self.figures.get(key)

    def secs(self, key: str) -> str:
        """The figure as a duration, '> N s' if stopped while measuring it, else '-'."""
        return secs(self.get(key), low=self.lower.get(key))

    def record(self, key: str, value: object) -> None:
        """Keep a figure the child reported (or note when it started measuring it)."""
        if value == STARTED:
            self.started[key] = time.perf_counter()
        else:
            self.figures[key] = value
            self.started.pop(key, None)

    def stop(self, pid: int) -> None:
        """Mark the step as stopped at its cap, with bounds for what it was measuring."""
        self.capped = True
        self.peak_mb = peak_rss_mb(pid)
        now = time.perf_counter()
        self.lower = {key: now - since for key, since in self.started.items()}


def _child(conn, fn: Callable, args: tuple) -> None:
    """Run *fn(report, *args)* in the child; *report(key, value)* sends one figure."""
    try:
        fn(lambda key, value: conn.send(("figure", key, value)), *args)
        conn.send(("done", peak_rss_mb(), None))
    except BaseException as e:  # noqa: BLE001 - reported to the parent, which prints it
        conn.send(("done", peak_rss_mb(), f"{type(e).__name__}: {e}"))
    finally:
        conn.close()


def peak_rss_mb(pid: int | str = "self") -> float | None:
    """Peak RSS so far (VmHWM) of a process, in MB; None if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def isolated(fn: Callable, *args, cap: float | None = None) -> Measured:
    """Run step *fn(report, *args)* in a fresh spawned interpreter, at most *cap* seconds.

    *fn* must be a module-level function; it imports what it needs before starting its own
    clocks and calls ``report(key, value)`` for each figure as soon as it has it.
    """
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args), daemon=True)
    m = Measured()
    t0 = time.perf_counter()
    proc.start()
    child.close()
    deadline = None if cap is None else t0 + cap
    while True:
        left = None if deadline is None else max(0.0, deadline - time.perf_counter())
        if not parent.poll(left):
            m.stop(proc.pid)
            proc.kill()
            break
        try:
            kind, key, value = parent.recv()
        except EOFError:
            m.error = f"child died (exit code {proc.exitcode})"
            break
        if kind == "figure":
            m.record(key, value)
        else:
            m.peak_mb, m.error = key, value
            break
    proc.join()
    m.wall_s = time.perf_counter() - t0
    return m


def command(argv: Sequence[str], *, cap: float | None = None) -> Measured:
    """Run a command (stdout discarded): wall time, and peak RSS sampled from /proc until it
    exits (the last milliseconds of its life can escape the sampling)."""
    m = Measured()
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)
        while True:
            peak = peak_rss_mb(proc.pid)
            m.peak_mb = max(m.peak_mb or 0.0, peak or 0.0)
            pid, status = os.waitpid(proc.pid, os.WNOHANG)
            if pid:
                break
            if cap is not None and time.perf_counter() - t0 > cap:
                m.stop(proc.pid)
                proc.kill()
                pid, status = os.waitpid(proc.pid, 0)
                break
            time.sleep(0.002)
        m.wall_s = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0 and not m.capped:
            err.seek(0)
            m.error = f"exit {proc.returncode}: {err.read().decode(errors='replace').strip()[-300:]}"
    return m


def repeated_command(argv: Sequence[str], times: int) -> tuple[float, float, float]:
    """Run a short command *times* times (after one warm-up run, for the OS file cache);
    return the median and best wall time and the largest peak RSS."""
    command(argv)
    runs = [command(argv) for _ in range(times)]
    for r in runs:
        if r.error:
            raise RuntimeError(f"{' '.join(map(str, argv))}: {r.error}")
    walls = sorted(r.wall_s for r in runs)
    return walls[len(walls) // 2], walls[0], max(r.peak_mb or 0 for r in runs)


def timed(report, key: str, fn: Callable[[], object]) -> object:
    """Call *fn* once and report its wall time as *key* (announced first, for the cap's bound)."""
    report(key, STARTED)
    t0 = time.perf_counter()
    result = fn()
    report(key, time.perf_counter() - t0)
    return result


def best_of(report, key: str, fn: Callable[[], object], *, budget_s: float = 2.0, at_most: int = 5) -> object:
    """Call *fn* repeatedly while the total stays within *budget_s* (at least once, at most
    *at_most* times) and report the best wall time as *key*; return the last result."""
    report(key, STARTED)
    best, result, spent, n = float("inf"), None, 0.0, 0
    while n < at_most and (n == 0 or spent + best <= budget_s):
        t0 = time.perf_counter()
        result = fn()
        dt = time.perf_counter() - t0
        best, spent, n = min(best, dt), spent + dt, n + 1
    report(key, best)
    return result


# -- printing -------------------------------------------------------------------------------

def progress(what: str, m: Measured) -> None:
    """One line saying how a step ended, while the run goes on."""
    state = "stopped at its cap" if m.capped else (f"ERROR {m.error}" if m.error else "done")
    print(f"  {what}: {state} after {m.wall_s:.1f} s", flush=True)


def secs(value: float | None, *, low: float | None = None) -> str:
    """A duration for a table: '12.0 ms', '3.41 s', '> 57 s' (a lower bound), '-' (unknown)."""
    if value is None:
        return "-" if low is None else f"> {_duration(low)}"
    return _duration(value)


def _duration(value: float) -> str:
    if value < 0.1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"


def mb(value: float | None) -> str:
    """Megabytes for a table: '853 MB', or '-'."""
    return "-" if value is None else f"{value:,.0f} MB"


def ratio(a: float | None, b: float | None, *, a_low: float | None = None, b_low: float | None = None) -> str:
    """a / b as '1.23x'; a bound ('> 4.1x', '< 0.50x') when one side is only known to be
    above *a_low* / *b_low* (stopped at its cap)."""
    if a is not None and b is not None and b > 0:
        return f"{a / b:.2f}x"
    if a is None and a_low and b:
        return f"> {a_low / b:.1f}x"
    if b is None and b_low and a is not None:
        return f"< {a / b_low:.2f}x"
    return "-"


def ratio_of(a: Measured, a_key: str, b: Measured, b_key: str) -> str:
    """:func:`ratio` of two measured figures, bounds included."""
    return ratio(a.get(a_key), b.get(b_key), a_low=a.lower.get(a_key), b_low=b.lower.get(b_key))


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print an aligned table (numbers right-aligned), in Markdown pipe syntax."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(columns)]

    def line(values: Sequence[str], numeric: bool) -> str:
        out = []
        for i, (v, w) in enumerate(zip(values, widths)):
            right = numeric and i > 0 and (v[:1].isdigit() or v[:1] in "<>-")
            out.append(v.rjust(w) if right else v.ljust(w))
        return "| " + " | ".join(out) + " |"

    print(f"\n{title}\n")
    print(line(columns, False))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells:
        print(line(row, True))
    sys.stdout.flush()


@dataclass
class Target:
    """One stated target and whether this run met it (None: could not be measured)."""

    text: str
    met: bool | None
    measured: str


def print_targets(targets: Sequence[Target]) -> None:
    """Print each target with PASS, FAIL or N/A (not measurable in this run), then the count met."""
    verdict = {True: "PASS", False: "FAIL", None: "N/A "}
    print("\nTargets\n")
    if not targets:
        print("  No target applies to the sizes run.")
        return
    for t in targets:
        print(f"  [{verdict[t.met]}] {t.text}: {t.measured}")
    met = sum(t.met is True for t in targets)
    print(f"\n  {met} of {len(targets)} targets met.")
    sys.stdout.flush()


def machine() -> str:
    """One paragraph describing the machine and the library versions."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    mem = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal:")), 0)
    versions = []
    for p in PACKAGES:
        try:
            versions.append(f"{p} {metadata.version(p)}")
        except metadata.PackageNotFoundError:
            pass
    return (f"{os.cpu_count()} cores ({cpu}), {mem / 1024:.0f} GiB RAM, {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; " + ", ".join(versions))


def header(title: str) -> None:
    """Print the title, the machine and the start time."""
    print(f"{title}\n{'=' * len(title)}\n")
    print(f"Machine: {machine()}")
    print(f"Started: {time.strftime('%Y-%m-%d %H:%M:%S')}\n", flush=True)


def idle_child_mb(*modules: str) -> float:
    """Peak RSS of a child that only imports *modules*: the floor under every peak figure."""
    return isolated(_import_only, modules).peak_mb or 0.0


def _import_only(report, modules: Sequence[str]) -> None:
    import importlib

    for name in modules:
        importlib.import_module(name)
