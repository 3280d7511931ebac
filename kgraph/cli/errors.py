"""The one error edge of the CLI: every failure becomes one line and a non-zero exit.

Library errors (:class:`~kgraph.errors.KgraphError`) already say what went wrong and how to
fix it; OS errors, encoding errors and click's usage errors are translated here into the same
``kgraph: <file or option>: <what>; <fix>`` shape. Anything else is a bug in kgraph: it still
gets one line (with ``KGRAPH_DEBUG=1`` for the traceback) and exit code 70.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import unicodedata

import click

from kgraph.errors import ImportRejected, KgraphError

PREFIX = "kgraph: "
BUG_EXIT = 70  # EX_SOFTWARE


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind (so temporary files are removed), then exit 128+signal."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def install_signal_handlers() -> None:
    """Turn SIGTERM and SIGHUP into :class:`Terminated`, so ``finally`` blocks run."""

    def handler(signum, _frame):
        raise Terminated(signum)

    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            try:
                signal.signal(sig, handler)
            except (ValueError, OSError):  # not the main thread (e.g. inside a notebook server)
                pass


def say(line: str) -> None:
    """Print one line of error on stderr, prefixed ``kgraph: ``."""
    line = one_line(line)
    click.echo(line if line.startswith(PREFIX) else PREFIX + line, err=True)


def one_line(text: str) -> str:
    r"""*text* with control characters (newlines, terminal escapes, separators that split
    lines) written as escapes, so a file name or value from the user can neither break the
    one-line message nor drive the terminal.

    >>> print(one_line("a\nb\x1b[31mc\u2028"))
    a\nb\x1b[31mc\u2028
    """
    out = []
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch == "\x85":
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


def os_error_line(e: OSError) -> str:
    """One line for an OS error: the file it concerns, what happened and what to do."""
    where = e.filename if e.filename is not None else None
    what = e.strerror or str(e)
    fixes = {
        errno.EACCES: "check its permissions or choose another path",
        errno.EPERM: "check its permissions or choose another path",
        errno.EROFS: "the file system is read-only; choose another path",
        errno.ENOENT: "check the path",
        errno.EISDIR: "give a file name, not a folder",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.ENAMETOOLONG: "choose a shorter name",
        errno.ENOSPC: "free some disk space and run again",
        errno.EEXIST: "choose another path",
    }
    fix = fixes.get(e.errno, "check the path and try again")
    return f"{where}: {lower_first(what)}; {fix}" if where else f"{lower_first(what)}; {fix}"


def lower_first(text: str) -> str:
    """'Permission denied' -> 'permission denied' (but 'SPARQL' stays)."""
    return text[0].lower() + text[1:] if text[:1].isupper() and text[1:2].islower() else text


def usage_line(e: click.UsageError) -> str:
    ctx = e.ctx
    path = ctx.command_path if ctx is not None else "kgraph"
    path = "kgraph" + path[path.index(" "):] if " " in path else "kgraph"
    message = lower_first(e.format_message().rstrip("."))
    return f"{message}; see `{path} --help`"


def run_guarded(call) -> int:
    """Run *call* (click's main in non-standalone mode); return the exit code to end with."""
    debug = os.environ.get("KGRAPH_DEBUG") not in (None, "", "0")
    try:
        result = call()
        return result if isinstance(result, int) else 0
    except SystemExit as e:
        code = e.code
        if code is None or isinstance(code, int):
            return code or 0
        say(str(code))
        return 1
    except ImportRejected as e:
        for problem in e.problems:
            click.echo(one_line(str(problem)), err=True)
        say(str(e))
        return e.exit_code
    except KgraphError as e:
        say(str(e))
        return e.exit_code
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.UsageError as e:
        say(usage_line(e))
        return e.exit_code
    except click.ClickException as e:
        say(e.format_message())
        return e.exit_code
    except click.Abort as e:  # click turns Ctrl-C (and EOF at a prompt) into Abort
        if isinstance(e.__cause__, KeyboardInterrupt):
            say("interrupted; nothing half-written was left behind")
            return 130
        say("aborted")
        return 1
    except KeyboardInterrupt:
        say("interrupted; nothing half-written was left behind")
        return 130
    except Terminated as e:
        say(f"stopped by signal {e.signum}; nothing half-written was left behind")
        return 128 + e.signum
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except OSError as e:
        if debug:
            raise
        say(os_error_line(e))
        return 1
    except MemoryError:
        say("out of memory; use --store DIR, a narrower query or a smaller --max-rows")
        return 1
    except Exception as e:  # a bug, unless a known kind of bad value: still one line, never a traceback
        if debug:
            raise
        if isinstance(e, UnicodeError):
            say(f"text that is not valid UTF-8 ({e}); save the file as UTF-8")
            return 2
        if isinstance(e, ValueError) and "null byte" in str(e):
            say("a file name or value holds a NUL character (\\x00); remove it")
            return 2
        say(f"internal error ({type(e).__name__}: {e}); this is a bug in kgraph, please report it "
            "(KGRAPH_DEBUG=1 shows the traceback)")
        return BUG_EXIT


def _silence_stdout() -> None:
    """After a closed pipe (``kgraph query ... | head``), stop Python complaining at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
