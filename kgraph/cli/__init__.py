"""The ``kgraph`` command: a thin layer over the library.

Each command parses its options, calls one library function and hands the result to one
output helper. Every error ends at one edge (:mod:`kgraph.cli.errors`) as one line and a
non-zero exit, never a traceback.
"""

from __future__ import annotations

import sys

import click

from kgraph import __version__
from kgraph.cli.errors import install_signal_handlers, run_guarded


class KgraphGroup(click.Group):
    """A click group whose every failure is one line and a non-zero exit (see cli.errors)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        install_signal_handlers()
        _quiet_libraries()

        def guarded():
            from kgraph import limits

            with limits.watching(limits.memory_ceiling()):
                return super(KgraphGroup, self).main(args, prog_name or "kgraph", complete_var,
                                                     standalone_mode=False, **extra)

        code = run_guarded(guarded)
        try:
            sys.stdout.flush()
        except (BrokenPipeError, ValueError, OSError):
            pass
        sys.exit(code)


def _quiet_libraries() -> None:
    """rdflib logs a traceback for every ill-typed literal it meets (a date such as
    2007-02-30); kgraph reports those itself (the DateType shape), so keep them off the terminal."""
    import logging

    logging.getLogger("rdflib").setLevel(logging.ERROR)


@click.group(cls=KgraphGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="kgraph")
def main() -> None:
    """kgraph: a knowledge graph of international community economic development (CED)
    partnerships, with who works with whom, who facilitates and funds, which events brought
    partners face to face, and what knowledge flowed in which direction.

    The bundled data covers three source documents; add your own with --data or `kgraph import`.

    \b
    Example:
        kgraph report --out report/          # the whole analysis, as a folder of pages
        kgraph query two-way-pairs           # who exchanges knowledge both ways?
        kgraph viz --out graph.html          # an interactive page to explore and share
    """


def _register() -> None:
    from kgraph.cli import build, imports, metrics, query, remote, report, viz

    for module in (build, query, metrics, viz, remote, report, imports):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
