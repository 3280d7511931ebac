"""docs/notebooks/tour.ipynb runs top to bottom in a real Jupyter kernel (ipykernel, started by
nbclient), and its outputs hold the two-way pairs, the metrics and the inline graph.

The checks are functions of the executed cells, each raising AssertionError naming what is wrong;
the known-bad test runs a copy of the tour with broken cells and asserts the checker reports
exactly those cells."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from conftest import ROOT

TOUR = ROOT / "docs" / "notebooks" / "tour.ipynb"
KERNEL = "kgraph-tour"

pytestmark = pytest.mark.slow


# -- running the notebook ---------------------------------------------------------------------

def install_kernel(prefix) -> str:
    """Install an ipykernel spec for this interpreter (the venv's) under *prefix*; return its JUPYTER_PATH."""
    subprocess.run([sys.executable, "-m", "ipykernel", "install", "--prefix", str(prefix), "--name", KERNEL],
                   check=True, capture_output=True)
    return str(prefix / "share" / "jupyter")


def run_notebook(nb, workdir) -> dict:
    """Execute *nb* in a fresh kernel (every cell, errors kept as outputs); its code cells by tag."""
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=600, kernel_name=KERNEL, allow_errors=True,
                   resources={"metadata": {"path": str(workdir)}}).execute()
    return {cell.metadata["tags"][0]: cell for cell in nb.cells if cell.cell_type == "code"}


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    root = tmp_path_factory.mktemp("tour")
    mp = pytest.MonkeyPatch()
    mp.setenv("JUPYTER_PATH", install_kernel(root / "kernel"))
    mp.setenv("JUPYTER_PLATFORM_DIRS", "1")
    try:
        yield root
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def tour(kernel_env):
    import nbformat

    return run_notebook(nbformat.read(TOUR, as_version=4), kernel_env)


# -- reading outputs --------------------------------------------------------------------------

class _Table(HTMLParser):
    """The rows of every <tr> in an HTML fragment, each a list of its <th>/<td> texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_rows(fragment: str) -> list[list[str]]:
    parser = _Table()
    parser.feed(fragment)
    return parser.rows


def output(cells, tag: str, mime: str = "text/plain") -> str:
    """The cell's displayed result; fails if the cell raised or showed no result."""
    cell = cells[tag]
    errors = [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]
    assert not errors, f"cell {tag!r} raised {errors[0]}"
    results = [o for o in cell.outputs if o.output_type == "execute_result"]
    assert len(results) == 1, f"cell {tag!r} shows {len(results)} results"
    assert mime in results[0].data, f"cell {tag!r} has no {mime} output"
    return results[0].data[mime]


def shown(text: str) -> str:
    """*text* as a DataFrame's HTML shows it: past display.max_colwidth (50), 46 characters and '...'."""
    return text if len(text) <= 50 else text[:46] + "..."


def stderr(cells, tag: str) -> str:
    return "".join(o.text for o in cells[tag].outputs if o.output_type == "stream" and o.name == "stderr")


# -- the checks, one per cell ------------------------------------------------------------------

PAIRS = [
    ["cedorg:eso", "cedorg:renapess", "Économie solidaire de l'Ontario", "RENAPESS Mali", "2", "3", "-0.2", "0.8"],
    ["cedorg:bccic", "cedorg:university-of-calgary", "BCCIC", "University of Calgary", "1", "1", "0", "1"],
    ["cedorg:canadian-municipal-experts", "cedorg:overseas-municipal-counterparts", "Canadian municipal experts",
     "Municipal counterparts in Asia, Africa, the Middle East, Latin America, the Caribbean and Eastern Europe",
     "1", "1", "0", "1"],
    ["cedorg:eso", "cedorg:malian-practitioners", "Économie solidaire de l'Ontario",
     "Malian practitioners at the Rencontre africaine de Bamako", "1", "1", "0", "1"],
]
PAIR_COLUMNS = ["a", "b", "aLabel", "bLabel", "flowsAB", "flowsBA", "balance", "twoWayIndex"]


def check_open(cells):
    assert output(cells, "open") == "<KnowledgeGraph: 11161 triples from 29 files>"


def check_pairs(cells):
    table = output(cells, "pairs", "text/html")
    assert table_rows(table) == [PAIR_COLUMNS, *PAIRS]
    assert table.endswith("<p>4 rows</p>")


def check_rows(cells):
    shown = " ".join(output(cells, "rows").split())  # IPython's pretty printer wraps by width
    expected = ", ".join(f"(LangString({a!r}, 'en'), LangString({b!r}, 'en'), {ab}, {ba})"
                         for _, _, a, b, ab, ba, _, _ in PAIRS)
    assert shown == f"[{expected}]"


def check_pandas(cells):
    frame = table_rows(output(cells, "pandas", "text/html"))
    assert frame == [["", "aLabel", "bLabel", "flowsAB", "flowsBA", "twoWayIndex"],
                     *[[str(i), shown(a), shown(b), ab, ba, {"0.8": "0.8", "1": "1.0"}[index]]
                       for i, (_, _, a, b, ab, ba, _, index) in enumerate(PAIRS)]]


def check_metrics(cells):
    frame = table_rows(output(cells, "metrics", "text/html"))
    assert frame == [["", "measure", "value"], *[[str(i), m, v] for i, (m, v) in enumerate([
        ("nodes", "14"), ("edges", "18"), ("flows", "26"), ("dyads", "14"), ("mutualDyads", "4"),
        ("edgeReciprocity", "0.444444"), ("dyadReciprocity", "0.285714"), ("weightedReciprocity", "0.384615"),
        ("southToNorthShare", "0.375"), ("flows North → North", "10"), ("flows North → South", "10"),
        ("flows South → North", "6")])]]


def check_nodes(cells):
    frame = table_rows(output(cells, "nodes", "text/html"))
    assert frame[0] == ["", "label", "group", "outFlows", "inFlows", "betweenness"]
    assert [row[1:] for row in frame[1:]] == [
        ["Économie solidaire de l'Ontario", "North", "5", "5", "0.060897"],
        ["RENAPESS Mali", "South", "4", "4", "0.028846"],
        ["BCCIC", "North", "1", "3", "0.012821"],
        [shown("International cooperation NGOs and practitioners in Nelson, Prince George and Comox"), "North", "1", "0",
         "0.000000"],
        ["Participants in BCCIC's 2015-2016 roundtables", "North", "1", "0", "0.000000"],
    ]


def check_viz(cells):
    frame = output(cells, "viz", "text/html")
    assert frame.startswith('<iframe class="kgraph-viz" srcdoc="&lt;!doctype html&gt;') and frame.endswith("</iframe>")
    assert 'height:500px' in frame and 'title="kgraph: 15 nodes, 29 edges"' in frame
    page = html.unescape(frame.split('srcdoc="', 1)[1].split('" style=', 1)[0])
    assert "new vis.Network" in page and "cedorg:renapess" in page
    fetches = re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=|@import|url\((?![\"']?data:)", page)
    assert fetches == [], f"the inline page fetches: {fetches}"


def check_check(cells):
    assert "UndefinedTermWarning: ced:sourse is not defined; did you mean ced:source?" in stderr(cells, "check")
    assert output(cells, "check") == "<Results (inline): 0 rows × 1 columns (flow)>"


CHECKS = [check_open, check_pairs, check_rows, check_pandas, check_metrics, check_nodes, check_viz, check_check]


def problems(cells) -> dict[str, str]:
    """What the checker reports: check name -> its failure message, for every failing check."""
    found = {}
    for check in CHECKS:
        try:
            check(cells)
        except AssertionError as e:
            found[check.__name__] = str(e)
    return found


# -- the tests ---------------------------------------------------------------------------------

def test_the_notebook_is_committed_without_outputs():
    import nbformat

    nb = nbformat.read(TOUR, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.metadata["tags"] for c in code] == [[check.__name__.removeprefix("check_")] for check in CHECKS]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_tour_output(tour, check):
    check(tour)


VIZ = 'kg.viz(view="flows", kinds="knowledge", color_by="north-south", height=500)'
BREAKS = {  # cell tag -> (text in the tour, what the broken copy has instead)
    "metrics": ("kg.metrics()", 'kg.metrics(kinds="all")'),                 # other figures
    "nodes": ('"betweenness"]]', '"brokerage"]]'),                           # a KeyError
    "viz": (VIZ, f"page = {VIZ}\npage.html = page.html.replace('</head>', '<script src=\"https://unpkg.com/vis-network\">"
                 "</script></head>')\npage"),                                   # a page that fetches
    "check": ("ced:sourse", "ced:source"),                                   # no warning any more
}


def test_a_broken_tour_is_reported_cell_by_cell(kernel_env):
    import nbformat

    nb = nbformat.read(TOUR, as_version=4)
    for cell in nb.cells:
        tag = cell.metadata.get("tags", [None])[0]
        if tag in BREAKS:
            old, new = BREAKS[tag]
            assert old in cell.source, tag
            cell.source = cell.source.replace(old, new)
    found = problems(run_notebook(nb, kernel_env))
    assert sorted(found) == ["check_check", "check_metrics", "check_nodes", "check_viz"]
    assert found["check_nodes"].startswith("cell 'nodes' raised KeyError: ")
    assert found["check_viz"].startswith("the inline page fetches: ['<script src='")
