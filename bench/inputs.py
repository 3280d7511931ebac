"""Inputs for the import benchmarks, generated into bench/out once per size and reused.

- CSV: a folder of templates (sources.csv with a local copy in seeds/, organisations.csv,
  flows.csv) holding *rows* flow rows between rows/20 organisations; every row is valid, so
  `kgraph import csv` checks, resolves, writes and validates all of it. About 11 triples per
  flow row (with its evidence node).
- IATI: the Netherlands MFA file of tests/fixtures (13 real activities, every role, 72
  transactions) repeated with new activity identifiers and implementing partners until the
  file reaches the asked size; 17 MB gives 2,106 activities.

Usage::

    .venv/bin/python bench/inputs.py --csv-rows 100000 --iati-mb 17
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
NL_MFA = BENCH.parent / "tests" / "fixtures" / "iati" / "nl-mfa-XM-DAC-7-203.xml"
KINDS = ("training", "documents-tools", "vision-strategy", "practices", "funding", "debate", "facilitation")
COUNTRIES = ("CA", "SN", "ML", "FR", "BE", "NE")
WORDS = "cooperative training network seed market women youth finance credit housing food energy".split()


def csv_folder(rows: int, *, seed: int = 1) -> Path:
    """The template folder with *rows* flow rows (made once)."""
    folder = OUT / f"csv-{rows}-seed{seed}"
    if not (folder / "flows.csv").exists():
        tmp = folder.with_name(folder.name + ".part")
        write_csv(tmp, rows, seed)
        tmp.replace(folder)
    return folder


def write_csv(folder: Path, rows: int, seed: int) -> None:
    r = random.Random(seed)
    orgs = max(50, rows // 20)
    (folder / "seeds").mkdir(parents=True, exist_ok=True)
    sentences = [f"Organisation {i} shared {r.choice(WORDS)} and {r.choice(WORDS)} practice with its partner."
                 for i in range(200)]
    (folder / "seeds" / "bench-source.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
    with open(folder / "sources.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "title", "publisher", "date", "url", "local_copy", "quote"])
        w.writerow(["bench-source", "Bench source", "", "2020", "https://example.org/bench", "bench-source.txt",
                    "Organisation 0 shared"])
    with open(folder / "organisations.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "kind", "country", "source", "quote"])
        for i in range(orgs):
            w.writerow([f"bo-{i}", f"Bench Org {i}", "cooperative" if i % 3 else "ngo", COUNTRIES[i % 6],
                        "bench-source", sentences[i % 200][:40]])
    with open(folder / "flows.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "from", "to", "kind", "status", "date", "description", "source", "quote"])
        for i in range(rows):
            a = r.randrange(orgs)
            b = (a + 1 + r.randrange(orgs - 1)) % orgs
            w.writerow(["", f"bo-{a}", f"Bench Org {b}", KINDS[i % 7], "planned" if i % 7 == 0 else "",
                        f"{2000 + i % 24}-{1 + i % 12:02d}", f"Flow {i} of {r.choice(WORDS)}", "bench-source",
                        sentences[r.randrange(200)][:30]])


def iati_file(megabytes: float) -> Path:
    """An IATI activity file of about *megabytes* MB (made once)."""
    path = OUT / f"iati-{megabytes:g}MB.xml"
    if not path.exists():
        tmp = path.with_name(path.name + ".part")
        write_iati(tmp, int(megabytes * 1_000_000))
        tmp.replace(path)
    return path


def write_iati(path: Path, size: int) -> int:
    """Repeat the NL MFA activities (new identifiers, 300 distinct implementers) up to *size* bytes."""
    text = NL_MFA.read_text(encoding="utf-8")
    head, rest = text.split("<iati-activity ", 1)
    body = "  <iati-activity " + rest.rsplit("</iati-activities>", 1)[0].rstrip() + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    copies = 0
    with path.open("w", encoding="utf-8") as f:
        f.write(head)
        while f.tell() < size:
            f.write(re.sub(r"(<iati-identifier>[^<]*)", rf"\g<1>-C{copies}", body)
                    .replace('<narrative xml:lang="en">ICTJ<', f'<narrative xml:lang="en">ICTJ {copies % 300}<'))
            copies += 1
        f.write("</iati-activities>\n")
    return copies


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--csv-rows", type=int, default=100_000)
    ap.add_argument("--iati-mb", type=float, default=17)
    args = ap.parse_args(argv)
    print(csv_folder(args.csv_rows), iati_file(args.iati_mb))
    return 0


if __name__ == "__main__":
    sys.exit(main())
