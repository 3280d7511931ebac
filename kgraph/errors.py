"""Typed errors of the kgraph library.

Each error renders as one line that says what went wrong, where, and how to fix it; the CLI
prints ``str(error)`` and exits with ``error.exit_code``, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class KgraphError(Exception):
    """Base class of every error kgraph raises on purpose."""

    exit_code = 1


class UsageError(KgraphError):
    """Options or arguments that cannot work together or name nothing."""

    exit_code = 2


class SourceNotFound(KgraphError):
    """A data file or directory that does not exist."""

    exit_code = 2


class UnknownFormat(KgraphError):
    """An RDF or results format name (or file extension) kgraph does not know."""

    exit_code = 2


class ParseError(KgraphError):
    """A source file that is not valid RDF; carries file, line and column."""

    exit_code = 2

    def __init__(self, path: str, line: int | None, column: int | None, message: str):
        self.path, self.line, self.column, self.message = path, line, column, message
        where = path
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")


class GraphNameClash(KgraphError):
    """Two source files that would load into the same named graph."""

    exit_code = 2


class StoreLocked(KgraphError):
    """An on-disk store another process holds open."""

    exit_code = 2


class QueryError(KgraphError):
    """A SPARQL query that is unknown, malformed or fails to run."""

    exit_code = 2


class ParameterError(KgraphError):
    """A query parameter that is missing, unknown or of the wrong type."""

    exit_code = 2


class ResultTooLarge(KgraphError):
    """A result too big for the chosen output (e.g. the terminal table)."""

    exit_code = 2


class EndpointError(KgraphError):
    """A SPARQL endpoint that is unreachable, times out or answers with an error."""

    exit_code = 3


@dataclass(frozen=True)
class RowProblem:
    """One bad row of an import: where it is and what is wrong with it."""

    path: str
    row: int | None  # 1-based line of a CSV record or XML element; None for the file as a whole
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.row is None else f"{self.path}:{self.row}"
        col = f":{self.column}" if self.column else ""
        return f"{where}{col}: {self.message}"


class ImportRejected(KgraphError):
    """An import with bad rows; nothing was written. Lists every problem found."""

    exit_code = 1

    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        n = len(problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} found, nothing written")


class OutputExists(KgraphError):
    """An output path that already holds something kgraph did not make (refused without --force)."""

    exit_code = 2


class OutputError(KgraphError):
    """An output that cannot be written (permissions, a folder in the way, disk full)."""

    exit_code = 1


class LimitExceeded(KgraphError):
    """A query or command that ran past its time or memory limit and was stopped."""

    exit_code = 3


class MissingExtra(KgraphError):
    """An optional dependency (an extra such as ``kgraph[notebook]``) that is not installed."""

    exit_code = 2


class NotAvailable(KgraphError):
    """An operation the chosen backend cannot do (e.g. validating a remote endpoint)."""

    exit_code = 2
