"""Safe file output: atomic writes, temporary files no loader picks up, and cleanup.

Every file kgraph writes is written to a temporary sibling named ``.kgraph-tmp-<pid>-<hex>``
(a dotfile, so data loaders skip it, and short, so a long target name never pushes it over
the file-name limit), then renamed over the target. Temporaries are registered while they
exist, removed when the write fails or is interrupted (Ctrl-C, SIGTERM), and leftovers of
killed processes are removed the next time kgraph writes into the same folder.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from kgraph.errors import OutputError, OutputExists

TEMP_PREFIX = ".kgraph-tmp-"
_TEMP = re.compile(r"^\.kgraph-tmp-(\d+)-[0-9a-f]{8}(\..*)?$")
_LIVE: set[Path] = set()  # temporaries of this process, removed by cleanup_live()


def temp_path(folder: str | os.PathLike[str], suffix: str = "") -> Path:
    """A fresh temporary name in *folder*: ``.kgraph-tmp-<pid>-<8 hex><suffix>``."""
    return Path(folder) / f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}{suffix}"


def is_temp(name: str) -> bool:
    return bool(_TEMP.match(name))


@contextlib.contextmanager
def temporary(path: Path) -> Iterator[Path]:
    """Register *path* as this process's temporary while the block runs; remove it afterwards
    unless the block renamed it away."""
    _LIVE.add(path)
    try:
        yield path
    finally:
        _LIVE.discard(path)
        remove(path)


def remove(path: Path) -> None:
    """Remove a file or folder kgraph made, ignoring one that is already gone."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        pass


def cleanup_live() -> None:
    """Remove every temporary this process still holds (for an exit that skips ``finally``)."""
    for path in list(_LIVE):
        remove(path)
    _LIVE.clear()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_leftovers(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove temporaries left in *folder* by kgraph processes that are gone; return them."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _TEMP.match(entry.name)
        if m and not _alive(int(m.group(1))):
            remove(Path(entry.path))
            removed.append(Path(entry.path))
    return removed


def check_output(path: str | os.PathLike[str], *, force: bool = False, force_hint: str = "--force") -> Path:
    """Refuse an output file that would replace something kgraph was not asked to replace.

    *force_hint* is how the caller's user says "replace it" (the CLI's ``--force``, the API's ``force=True``).

    :raises OutputExists: *path* is a folder, or an existing file and *force* is false.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputExists(f"{target}: is a folder; give a file name inside it or elsewhere")
    if target.exists() or target.is_symlink():
        if not force:
            raise OutputExists(f"{target}: already exists; use {force_hint} to replace it, or choose another name")
        if not target.is_file():
            raise OutputExists(f"{target}: is not a regular file; choose another name")
    return target


def output_error(target: Path, e: OSError) -> OutputError:
    fixes = {errno.EACCES: "check the folder's permissions or choose another path",
             errno.EPERM: "check the folder's permissions or choose another path",
             errno.EROFS: "the file system is read-only; choose another path",
             errno.ENOSPC: "free some disk space and run again",
             errno.ENAMETOOLONG: "choose a shorter name",
             errno.EISDIR: "a folder is in the way; choose another name",
             errno.ENOTDIR: "a part of the path is a file, not a folder; choose another path"}
    what = (e.strerror or str(e)).lower()
    return OutputError(f"{target}: cannot write ({what}); {fixes.get(e.errno, 'check the path and try again')}")


def make_parents(target: Path) -> list[Path]:
    """Create the missing folders above *target*; return those made (innermost first)."""
    made = [d for d in (target.parent, *target.parent.parents) if not d.exists()]
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise output_error(target, e) from None
    return made


def remove_empty(folders: list[Path]) -> None:
    for folder in folders:  # innermost first
        with contextlib.suppress(OSError):
            folder.rmdir()


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", *, encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary sibling of *path* for writing; rename it over *path* on success.

    A failure or an interruption leaves the old file (if any) untouched and no temporary
    behind; folders made for the file are removed again.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_write(d / "x.txt") as f:
    ...     _ = f.write("hello")
    >>> (d / "x.txt").read_text(), [p.name for p in d.iterdir()]
    ('hello', ['x.txt'])

    :raises OutputError: naming *path* (never the temporary) when it cannot be written.
    """
    target = Path(path)
    made = make_parents(target)
    clean_leftovers(target.parent)
    binary = "b" in mode
    ok = False
    with temporary(temp_path(target.parent, ".part")) as tmp:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except OSError as e:
            remove_empty(made)
            raise output_error(target, e) from None
        try:
            with os.fdopen(fd, mode, encoding=None if binary else encoding) as f:
                yield f
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
            ok = True
        except OSError as e:
            if e.filename not in (None, str(tmp), str(target)):
                raise  # about another file (e.g. one being read): not an output error
            raise output_error(target, e) from None
        finally:
            if not ok:
                remove_empty(made)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    with atomic_write(path, "wb") as f:
        f.write(data)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    with atomic_write(path, "w") as f:
        f.write(text)


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
