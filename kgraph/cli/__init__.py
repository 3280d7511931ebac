"""The ``kgraph`` command: a thin layer over the library.

Each command parses its options, calls one library function and hands the result to one
output helper. Typed library errors become one-line messages and an exit code here, at the
edge, never a traceback.
"""

from __future__ import annotations

import sys

import click

from kgraph import __version__
from kgraph.errors import ImportRejected, KgraphError, ParseError


class KgraphGroup(click.Group):
    """A click group that reports kgraph errors as one line and a non-zero exit."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ImportRejected as e:
            for problem in e.problems:
                click.echo(str(problem), err=True)
            click.echo(f"Error: {e}", err=True)
            ctx.exit(e.exit_code)
        except ParseError as e:
            click.echo(str(e), err=True)
            ctx.exit(e.exit_code)
        except KgraphError as e:
            click.echo(f"Error: {e}", err=True)
            ctx.exit(e.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(0)


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
