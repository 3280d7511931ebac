"""Every kgraph command a user runs, timed as a user runs it (bench/run.py's command table).

At each size the generated graph (bench/generate.py) is given with ``--data`` (an in-memory
store, as by default), and each command runs as its own subprocess: wall time and peak RSS
(harness.command). ``kgraph stats`` is the load: it loads the graph (with the derived graph)
and counts, so every other command's "vs load" is its wall time over that one. The imports
read inputs scaled to the size (bench/inputs.py): a CSV folder of size/10 flow rows (100k
rows at 1M triples, about 1.1M triples out) and an IATI file of 17 MB per 1M (the issue's
17 MB file at 1M); they extend the bundled data only.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import inputs
from harness import KGRAPH, Measured, Target, command, mb, progress, ratio, secs, size_label, table

#: (name, arguments after `kgraph`; {data} {out} {csv} {iati} filled in per size)
COMMANDS = (
    ("load (kgraph stats)", ["stats", "--data", "{data}", "--format", "csv"]),
    ("validate", ["validate", "--data", "{data}"]),
    ("two-way query", ["query", "two-way-pairs", "--data", "{data}", "--format", "csv", "--out", "{out}/q.csv"]),
    ("metrics (all levels)", ["metrics", "--data", "{data}", "--format", "ttl", "--out", "{out}/m.ttl"]),
    ("viz", ["viz", "--data", "{data}", "--view", "flows", "--kinds", "all", "--out", "{out}/g.html"]),
    ("export graphml", ["export", "--data", "{data}", "--format", "graphml", "--view", "flows", "--kinds", "all",
                        "--out", "{out}/g.graphml"]),
    ("report", ["report", "--data", "{data}", "--out", "{out}/report"]),
    ("import csv", ["import", "csv", "{csv}", "--out", "{out}/csv/imported.ttl"]),
    ("import iati", ["import", "iati", "{iati}", "--out", "{out}/iati/imported.ttl"]),
)
LOAD = COMMANDS[0][0]
IATI_MB_PER_M = 17.0
GROWTH_LIMIT = 12.0  # per 10x input
LIMITS = {"validate": 10.0, "metrics (all levels)": 5.0, "report": 15.0}  # x the load, at 1M
REPORT_RSS_MB, REPORT_WALL_S = 2048, 180
VIEW_LIMIT_S = 10.0  # viz / export of the ~10k-node view (1M triples), beyond the load
CSV_ROWS, CSV_LIMIT_S, CSV_RSS_MB = 100_000, 60.0, 1024


@dataclass
class CommandRun:
    """Every command at one size."""

    size: int
    inputs: dict[str, str] = field(default_factory=dict)
    runs: dict[str, Measured] = field(default_factory=dict)

    def wall(self, name: str) -> float | None:
        m = self.runs.get(name)
        return None if m is None or m.error or m.capped else m.wall_s

    def shown(self, name: str) -> str:
        m = self.runs.get(name)
        if m is None:
            return "not run"
        if m.capped:
            return f"> {secs(m.wall_s)}"
        return secs(m.wall_s) + (" ERROR" if m.error else "")


def measure(size: int, graph: Path, *, cap: float) -> CommandRun:
    """Every command on the graph of *size* triples (and imports of inputs scaled to it)."""
    rows = max(100, size // 10)
    csv_dir, iati = inputs.csv_folder(rows), inputs.iati_file(round(IATI_MB_PER_M * size / 1_000_000, 2))
    run = CommandRun(size, {"csv rows": f"{rows:,}", "iati": f"{iati.stat().st_size / 1e6:.1f} MB"})
    for name, argv in COMMANDS:
        with tempfile.TemporaryDirectory(dir=inputs.OUT) as out:
            args = [a.format(data=graph, out=out, csv=csv_dir, iati=iati) for a in argv]
            m = run.runs[name] = command([str(KGRAPH), *args], cap=cap)
            if name == "validate" and m.error and m.error.startswith("exit 1"):
                m.error = None  # violations found is exit 1: the work was done
        progress(f"`kgraph {argv[0]}` {name}", m)
    return run


def print_table(runs: list[CommandRun]) -> None:
    """One row per command: wall time, its ratio to the load and peak RSS at each size, growth."""
    columns = ["command"]
    for r in runs:
        columns += [f"{size_label(r.size)}: wall", "vs load", "peak RSS"]
    if len(runs) > 1:
        columns += [f"growth {size_label(a.size)}->{size_label(b.size)}" for a, b in zip(runs, runs[1:])]
    rows = []
    for name, _ in COMMANDS:
        row = [name]
        for r in runs:
            row += [r.shown(name), ratio(r.wall(name), r.wall(LOAD)), mb(r.runs[name].peak_mb)]
        row += [ratio(b.wall(name), a.wall(name), a_low=b.runs[name].wall_s if b.runs[name].capped else None)
                for a, b in zip(runs, runs[1:])]
        rows.append(row)
    table("Every command as users run it (`kgraph ... --data FILE`, in memory; subprocess wall time and peak RSS; "
          "imports: " + "; ".join(f"{size_label(r.size)}: {r.inputs['csv rows']} CSV flow rows, "
                                  f"{r.inputs['iati']} IATI" for r in runs) + ")", columns, rows)


def targets(runs: list[CommandRun]) -> list[Target]:
    """The issue's targets for the commands, judged on this run."""
    out = []
    at = next((r for r in runs if r.size == 1_000_000), None)
    if at is None:
        out.append(Target("1M-triple command targets", None, "1M is not among the sizes run"))
    else:
        load = at.wall(LOAD)
        for name, limit in LIMITS.items():
            out.append(_ratio_target(f"1M: `{name}` at most {limit:g}x the load", at, name, load, limit))
        m = at.runs["report"]
        out.append(Target(f"1M: `report` peak RSS under {REPORT_RSS_MB / 1024:g} GB",
                          None if m.peak_mb is None or m.error else m.peak_mb < REPORT_RSS_MB, mb(m.peak_mb)))
        out.append(Target(f"1M: `kgraph report --data g-1M.ttl` under {REPORT_WALL_S // 60} minutes",
                          _under(at, "report", REPORT_WALL_S), at.shown("report")))
        for name in ("viz", "export graphml"):
            wall = at.wall(name)
            beyond = None if wall is None or load is None else wall - load
            out.append(Target(f"1M (the ~10k-node flows view): `{name}` under {VIEW_LIMIT_S:g} s beyond the load",
                              None if beyond is None else beyond < VIEW_LIMIT_S,
                              f"{at.shown(name)} - load {secs(load)} = {secs(beyond)}"))
    csv_run = next((r for r in runs if r.inputs["csv rows"] == f"{CSV_ROWS:,}"), None)
    if csv_run is None:
        out.append(Target(f"`import csv` of {CSV_ROWS:,} rows", None, "not run (the 1M size imports them)"))
    else:
        m = csv_run.runs["import csv"]
        out.append(Target(f"`import csv` of {CSV_ROWS:,} rows under {CSV_LIMIT_S:g} s",
                          _under(csv_run, "import csv", CSV_LIMIT_S), csv_run.shown("import csv")))
        out.append(Target(f"`import csv` of {CSV_ROWS:,} rows under {CSV_RSS_MB / 1024:g} GB",
                          None if m.peak_mb is None or m.error else m.peak_mb < CSV_RSS_MB, mb(m.peak_mb)))
    for a, b in zip(runs, runs[1:]):
        growth = {name: (b.wall(name) / a.wall(name)) if a.wall(name) and b.wall(name) else None
                  for name, _ in COMMANDS}
        known = {k: v for k, v in growth.items() if v is not None}
        over = [f"{k} {v:.1f}x" for k, v in known.items() if v > GROWTH_LIMIT * b.size / a.size / 10]
        worst = max(known.items(), key=lambda kv: kv[1]) if known else None
        out.append(Target(f"{size_label(a.size)} -> {size_label(b.size)}: every command grows at most "
                          f"{GROWTH_LIMIT * b.size / a.size / 10:g}x",
                          None if len(known) < len(growth) else not over,
                          (f"largest: {worst[0]} {worst[1]:.1f}x" if worst else "-")
                          + (f"; over: {', '.join(over)}" if over else "")
                          + ("" if len(known) == len(growth) else "; some commands did not finish")))
    return out


def _ratio_target(text: str, r: CommandRun, name: str, load: float | None, limit: float) -> Target:
    wall, m = r.wall(name), r.runs[name]
    shown = f"{r.shown(name)} / load {secs(load)} = {ratio(wall, load, a_low=m.wall_s if m.capped else None)}"
    if wall is not None and load:
        return Target(text, wall <= limit * load, shown)
    if m.capped and load and m.wall_s > limit * load:
        return Target(text, False, shown)
    return Target(text, None, shown)


def _under(r: CommandRun, name: str, limit: float) -> bool | None:
    wall, m = r.wall(name), r.runs[name]
    if wall is not None:
        return wall < limit
    return False if m.capped and m.wall_s >= limit else None
