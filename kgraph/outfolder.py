"""An output folder that kgraph may share with the user's own files.

kgraph writes a folder of files (``kgraph report``) without ever deleting or replacing what it
did not write. The folder gets a manifest (``kgraph-manifest.json``) listing every file kgraph
wrote there with its SHA-256; a later run replaces those files — unless the user changed one
since — removes those it no longer writes, and leaves everything else alone. A folder with
other files and no manifest is refused unless ``force``; even then only the run's own files
are written, nothing else is touched.

Files are assembled in a temporary folder inside the destination (a dotfile, removed on
failure or interruption) and moved into place one by one, each move atomic; the manifest is
written before the moves (listing old and new contents) and after them, so an interrupted run
never makes kgraph mistake its own files for the user's.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kgraph import __version__
from kgraph.errors import OutputExists
from kgraph.fsutil import (clean_leftovers, is_temp, make_parents, remove_empty, sha256_file, temp_path, temporary,
                           write_text_atomic, output_error)

MANIFEST = "kgraph-manifest.json"


class OutputFolder:
    """The destination folder of a multi-file output; see the module docstring for the rules."""

    def __init__(self, path: str | os.PathLike[str], *, kind: str, force: bool = False):
        self.shown = Path(path)  # as the user wrote it, for messages
        self.path = Path(os.path.abspath(path))
        self.kind = kind
        self.force = force
        self._old: dict[str, list[str]] = {}

    def check(self) -> None:
        """Refuse the destination early, before any work is done.

        :raises OutputExists: a file in the way, a folder with files kgraph did not write
            (without force), or a file kgraph wrote that the user has changed since (without force).
        """
        p = self.path
        if p.exists() and not p.is_dir():
            raise OutputExists(f"{self.shown}: is a file, not a folder; give --out a new or empty folder")
        if not p.is_dir():
            return
        manifest = self._read_manifest()
        if manifest is None:
            others = self._user_entries(set())
            if others and not self.force:
                shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
                raise OutputExists(f"{self.shown}: holds files kgraph did not write ({shown}); choose a new or empty "
                                   f"folder, or add --force to write the {self.kind} beside them (nothing else is "
                                   "touched)")
            return
        self._old = manifest
        changed = [rel for rel, hashes in manifest.items() if (p / rel).is_file() and _hash(p / rel) not in hashes]
        if changed and not self.force:
            raise OutputExists(f"{self.shown / changed[0]}: was changed since kgraph wrote it; move it away, or add "
                               "--force to replace it")

    @contextmanager
    def staging(self) -> Iterator[Path]:
        """A temporary folder to write the output into; :meth:`commit` moves it into place."""
        self.check()
        made = make_parents(self.path / MANIFEST) if not self.path.exists() else []  # the folder and its parents
        clean_leftovers(self.path)
        ok = False
        try:
            with temporary(temp_path(self.path)) as tmp:
                try:
                    tmp.mkdir()
                except OSError as e:
                    raise output_error(self.shown, e) from None
                yield tmp
                ok = True
        finally:
            if not ok:
                remove_empty(made)

    def commit(self, staged: Path) -> list[str]:
        """Move every file of *staged* into the folder, drop what the last run wrote and this one
        did not (if unchanged), and record the new manifest. Returns the relative paths written."""
        new = {f.relative_to(staged).as_posix(): _hash(f) for f in sorted(staged.rglob("*")) if f.is_file()}
        pending = {rel: sorted(set(self._old.get(rel, [])) | {h}) for rel, h in new.items()}
        pending.update({rel: hs for rel, hs in self._old.items() if rel not in new})
        self._write_manifest(pending)
        for rel in new:
            dest = self.path / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged / rel, dest)
        for rel, hashes in self._old.items():
            if rel not in new and (self.path / rel).is_file() and _hash(self.path / rel) in hashes:
                (self.path / rel).unlink()
                remove_empty([d for d in (self.path / rel).parents if d != self.path and self.path in d.parents])
        self._write_manifest({rel: [h] for rel, h in new.items()})
        return list(new)

    # -- the manifest -----------------------------------------------------------------

    def _read_manifest(self) -> dict[str, list[str]] | None:
        try:
            data = json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
            files = data["files"]
            if data.get("kind") != self.kind or not isinstance(files, dict):
                return None
            return {str(rel): [str(h) for h in hs] for rel, hs in files.items()
                    if _inside(self.path, rel) and isinstance(hs, list)}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def _write_manifest(self, files: dict[str, list[str]]) -> None:
        data = {"kgraph": __version__, "kind": self.kind,
                "note": "Files kgraph wrote here; a new run replaces only these (see kgraph's docs/security.md).",
                "files": dict(sorted(files.items()))}
        write_text_atomic(self.path / MANIFEST, json.dumps(data, indent=1, ensure_ascii=False) + "\n")

    def _user_entries(self, ours: set[str]) -> list[str]:
        return sorted(n for n in os.listdir(self.path) if n not in ours and n != MANIFEST and not is_temp(n))


def _hash(path: Path) -> str:
    return sha256_file(path)


def _inside(root: Path, rel: str) -> bool:
    """A manifest entry must name a file inside the folder (a hand-edited manifest must never
    make kgraph delete a file elsewhere)."""
    if not rel or os.path.isabs(rel) or "\\" in rel:
        return False
    parts = Path(rel).parts
    return ".." not in parts and all(p not in ("", ".") for p in parts)
