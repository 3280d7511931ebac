#!/usr/bin/env python3
"""Regenerate the screenshots in docs/screenshots/: the report, the explorer and the map.

    .venv/bin/python docs/screenshots.py              # writes docs/screenshots/{report,explorer,map}.png
    .venv/bin/python docs/screenshots.py --out DIR    # somewhere else

Runs `kgraph report` on the bundled data into a temporary folder (the report holds graph.html
and map.html), opens each page in Debian's /usr/bin/chromium through Playwright with every
network request refused, waits until the graph's layout and labels have settled, and saves
one PNG per page. Layouts differ from run to run, so the PNGs are pictures, not test oracles.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 900}
#: (file name, page in the report, what to wait for before the picture, full page?)
SHOTS = (
    ("report.png", "index.html", "document.querySelector('#summary') !== null", True),
    ("explorer.png", "graph.html", "typeof explorer !== 'undefined' && explorer.settled === true", False),
    ("map.png", "map.html", "typeof map !== 'undefined' && map.ready === true", False),
)


def build_report(folder: Path) -> Path:
    """`kgraph report --out FOLDER/report` on the bundled data; returns the report folder."""
    from click.testing import CliRunner

    from kgraph.cli import main

    out = folder / "report"
    result = CliRunner().invoke(main, ["report", "--out", str(out)])
    if result.exit_code != 0:
        raise SystemExit(f"kgraph report failed: {result.output}")
    return out


def shoot(report: Path, out: Path) -> list[Path]:
    """One PNG per page of *report* into *out*; returns the files written."""
    from playwright.sync_api import sync_playwright

    from kgraph.fsutil import write_bytes_atomic

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, page_name, ready, full in SHOTS:
            page = browser.new_page(viewport=VIEWPORT)
            outside: list[str] = []
            page.route("**/*", lambda r, seen=outside: r.continue_() if r.request.url.startswith("file:")
                       else (seen.append(r.request.url), r.abort()))
            page.goto((report / page_name).as_uri())
            page.wait_for_function(ready, timeout=120000)
            if outside:
                raise SystemExit(f"{page_name} asked the network for {outside[0]}")
            write_bytes_atomic(out / name, page.screenshot(full_page=full))
            written.append(out / name)
            page.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "screenshots")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        for path in shoot(build_report(Path(tmp)), args.out):
            print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
