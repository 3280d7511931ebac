"""Bounds on a command's work: a time limit per query and a ceiling on memory.

Oxigraph evaluates a query in native code that cannot be interrupted from Python, and a
careless query (a cartesian product, a COUNT over a three-way join) can run for hours or grow
past the machine's memory. The command line therefore runs a watchdog thread: when a query
runs past its deadline, or the process's resident memory passes the ceiling, it prints one
line, removes kgraph's temporary files and ends the process (exit 3). Outputs are written
atomically, so nothing half-written is left behind.

The ceiling defaults to 80 % of physical memory (``KGRAPH_MAX_MEMORY`` sets it: bytes, or a
number with K, M, G); the query deadline is the CLI's ``--timeout`` (``KGRAPH_QUERY_TIMEOUT``).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
import time
from collections.abc import Iterator

from kgraph.errors import UsageError

EXIT_CODE = 3
DEFAULT_TIMEOUT = 300.0
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*$", re.I)


def parse_size(text: str, *, what: str = "KGRAPH_MAX_MEMORY") -> int:
    """Bytes from ``"8G"``, ``"512M"``, ``"1073741824"``.

    >>> parse_size("8G"), parse_size("512 MiB"), parse_size("1000")
    (8589934592, 536870912, 1000)

    :raises UsageError: naming *what* for text that is not a size.
    """
    m = _SIZE.match(text)
    if not m:
        raise UsageError(f"{what}={text!r}: not a size; write e.g. 8G, 512M or a number of bytes")
    return int(float(m.group(1)) * 1024 ** " KMGT".index(m.group(2).upper() or " "))


def parse_seconds(text: str, *, what: str) -> float:
    """Seconds from text (``"60"``, ``"2.5"``); 0 means no limit.

    :raises UsageError: naming *what* for text that is not a number of seconds.
    """
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise UsageError(f"{what}={text!r}: not a number of seconds; write e.g. 60 (0 for no limit)")
    return value


def physical_memory() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def resident_memory() -> int | None:
    """This process's resident set size in bytes (Linux), else None."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def memory_ceiling(env: dict[str, str] | None = None) -> int | None:
    env = os.environ if env is None else env
    if env.get("KGRAPH_MAX_MEMORY"):
        return parse_size(env["KGRAPH_MAX_MEMORY"])
    total = physical_memory()
    return int(total * 0.8) if total else None


def _gb(n: int) -> str:
    return f"{n / 1024 ** 3:.1f} GB"


class Watchdog:
    """One thread per process that enforces the deadline of the running query and the
    memory ceiling. ``on_trip`` receives the one-line message; the default ends the process."""

    def __init__(self, *, max_memory: int | None, interval: float = 0.1, on_trip=None):
        self.max_memory = max_memory
        self.interval = interval
        self.on_trip = on_trip or _end_process
        self._deadline: tuple[float, float, str] | None = None  # (monotonic end, seconds, what)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Watchdog:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="kgraph-watchdog", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1)
            self._thread = None

    @contextlib.contextmanager
    def deadline(self, seconds: float | None, what: str, option: str = "--timeout") -> Iterator[None]:
        """Give the block *seconds* (None or 0: no limit) before the watchdog stops the process."""
        if not seconds:
            yield
            return
        previous = self._deadline
        self._deadline = (time.monotonic() + seconds, seconds, f"{what}|{option}")
        try:
            yield
        finally:
            self._deadline = previous

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            message = self.check()
            if message:
                self.on_trip(message)
                return

    def check(self) -> str | None:
        """The message of a limit that is passed now, else None."""
        d = self._deadline
        if d is not None and time.monotonic() > d[0]:
            what, option = d[2].split("|", 1)
            return (f"{what} ran past {option} {d[1]:g} s and was stopped; narrow it (add LIMIT, more specific "
                    f"patterns) or raise {option}")
        if self.max_memory:
            rss = resident_memory()
            if rss is not None and rss > self.max_memory:
                return (f"stopped at {_gb(rss)} of memory, past the ceiling of {_gb(self.max_memory)}; narrow the "
                        "query (add LIMIT), or raise KGRAPH_MAX_MEMORY")
        return None


def _end_process(message: str) -> None:
    from kgraph.fsutil import cleanup_live

    cleanup_live()
    try:
        sys.stderr.write(f"kgraph: {message}\n")
        sys.stderr.flush()
    finally:
        os._exit(EXIT_CODE)


_current: Watchdog | None = None


def current() -> Watchdog | None:
    """The watchdog of the running command, if any (the CLI installs one)."""
    return _current


@contextlib.contextmanager
def watching(max_memory: int | None) -> Iterator[Watchdog]:
    """Run the block under a watchdog (the CLI wraps every command in one)."""
    global _current
    dog = Watchdog(max_memory=max_memory).start()
    previous, _current = _current, dog
    try:
        yield dog
    finally:
        _current = previous
        dog.stop()


@contextlib.contextmanager
def deadline(seconds: float | None, what: str, option: str = "--timeout") -> Iterator[None]:
    """A deadline on the current watchdog (no-op when none runs, e.g. in library use)."""
    dog = _current
    if dog is None:
        yield
        return
    with dog.deadline(seconds, what, option):
        yield
