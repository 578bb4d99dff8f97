"""`make bench`: the performance table (issues 11 and 20), every row against its named baseline.

Each row compares whole processes run in turn with their baseline in this same run (A B, B A,
... after a warm-up pair; see timing.py) and quotes the median of the pairwise ratios with its
min-max range. Synthetic registers are the shipped one plus clones of its SECMP records
(synth.py). The growth rows time validate and the report at 1k, 5k, 10k and 20k records against
the shipped register, so that what is left is the cost per record; linear growth keeps that
cost flat. Issue 20's rows: the shipped register's unchanged site built again against its first
build, an edit's dry run against validate (5k records), and the site of a register with a git
history (history.py: records x commits) against the same register without git. Detail lines
come first, the table last.

    python bench/table.py            # BENCH_RUNS=N for more pairs (default 5)
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from history import write_history  # noqa: E402
from synth import SHIPPED, write_register  # noqa: E402
from timing import PYTHON, RUNS, SECSTATUS, Pairs, Ratio, compare, ratio_of, run  # noqa: E402

SIZES = (1_000, 5_000, 10_000, 20_000)
IMPORTS_FOR_REPORT = "import pydantic, yaml, jinja2, holidays"


@dataclass(frozen=True)
class Row:
    name: str
    baseline: str
    limit: float | None
    """The goal: the median at or under it; None for a row shown for information."""
    value: Ratio
    unit: str = "x"

    @property
    def goal(self) -> str:
        return "-" if self.limit is None else f"<= {self.limit:g}{self.unit}"

    @property
    def verdict(self) -> str:
        if self.limit is None:
            return "info"
        return "ok" if self.value.median <= self.limit else "OVER"

    def cells(self) -> list[str]:
        digits = {"x": 2, " s": 1}.get(self.unit, 0)
        median = f"{self.value.median:.{digits}f}{self.unit}"
        spread = f"{self.value.low:.{digits}f}-{self.value.high:.{digits}f}"
        return [self.name, self.baseline, self.goal, median, spread, self.verdict]


def bare(data: Path) -> list[str]:
    return [PYTHON, str(HERE / "bare_parse.py"), str(data)]


def validate(data: Path) -> list[str]:
    return [SECSTATUS, "--data", str(data), "validate"]


def report(data: Path, out: Path, fmt: str = "html") -> list[str]:
    return [SECSTATUS, "--data", str(data), "report", "--month", "2019-05", "--format", fmt, "-o", str(out)]


def detail(name: str, pairs: Pairs) -> Pairs:
    a = statistics.median(r.cpu for r in pairs.a)
    b = statistics.median(r.cpu for r in pairs.b)
    print(
        f"  {name}: CPU {a * 1000:.0f} ms against {b * 1000:.0f} ms, ratio {pairs.ratio} ({pairs.ratio.range}); "
        f"wall ratio {pairs.wall_ratio} ({pairs.wall_ratio.range})",
        flush=True,
    )
    return pairs


def speed_rows(tmp: Path, registers: dict[int, Path]) -> list[Row]:
    out = tmp / "report.html"
    rows = []
    for n in (5_000, 10_000):
        pairs = detail(f"validate, {n:,} records", compare(validate(registers[n]), bare(registers[n])))
        rows.append(Row(f"validate, {n // 1000}k records", "bare CSafeLoader parse", 1.3, pairs.ratio))
    imports = [PYTHON, "-c", IMPORTS_FOR_REPORT]
    pairs = detail("May 2019 HTML, shipped", compare(report(SHIPPED, out), imports))
    rows.append(Row("May 2019 HTML, shipped", IMPORTS_FOR_REPORT, 1.5, pairs.ratio))
    pairs = detail(
        "May 2019 HTML, shipped, no cache", compare(report(SHIPPED, out), imports, env_a={"SECSTATUS_NO_CACHE": "1"})
    )
    rows.append(Row("  the same, SECSTATUS_NO_CACHE", "the same", None, pairs.ratio))
    for n in (5_000, 10_000):
        pairs = detail(f"May 2019 HTML, {n:,} records", compare(report(registers[n], out), bare(registers[n])))
        rows.append(Row(f"May 2019 HTML, {n // 1000}k records", "bare parse, same files", 1.5, pairs.ratio))
    pairs = detail("--help", compare([SECSTATUS, "--help"], [PYTHON, "-c", "import click"]))
    rows.append(Row("--help", "import click", 1.5, pairs.ratio))
    return rows + pdf_rows(tmp)


def pdf_rows(tmp: Path) -> list[Row]:
    from pypdf import PdfReader

    out = tmp / "report.pdf"
    pairs = detail("May 2019 PDF", compare(report(SHIPPED, out, "pdf"), [PYTHON, "-c", "import weasyprint"]))
    pages = len(PdfReader(out).pages)
    per_page = ratio_of([(a.cpu - b.cpu) / pages * 1000 for a, b in zip(pairs.a, pairs.b, strict=True)])
    peak = ratio_of([a.peak for a in pairs.a])
    print(f"  PDF: {pages} pages", flush=True)
    return [
        Row("PDF", "import weasyprint", 4, pairs.ratio),
        Row("PDF, per page beyond the import", "-", 200, per_page, " ms"),
        Row("PDF, peak RSS", "-", 150, peak, " MiB"),
    ]


def site(data: Path, out: Path, day: str) -> list[str]:
    return [SECSTATUS, "--data", str(data), "site", "-o", str(out), "--as-at", day]


def history_rows(tmp: Path) -> list[Row]:
    """Issue 20: the site of a register with a history (history.py), against the same register
    without git, and on 2,000 records with 2,000 commits in CPU seconds. As at 30 April 2019, before
    the register's first report: no PDF, so what is timed is the pages and the history."""
    rows = []
    for records, commits, limit in ((500, 1_000, 2.0), (2_000, 2_000, None)):
        data = write_history(tmp / f"history-{records}", records, commits)
        bare_copy = tmp / f"no-git-{records}" / "data"
        shutil.copytree(data, bare_copy)
        name = f"site, {records:,} records x {commits:,} commits"
        pairs = detail(
            name, compare(site(data, tmp / "site-git", "2019-04-30"), site(bare_copy, tmp / "site-bare", "2019-04-30"))
        )
        rows.append(Row(name, "the same register, no git", limit, pairs.ratio))
        if limit is None:
            rows.append(Row("  the same, CPU seconds", "-", 10, ratio_of([a.cpu for a in pairs.a]), " s"))
    return rows


def reuse_rows(tmp: Path, registers: dict[int, Path]) -> list[Row]:
    """Issue 20: the shipped register's unchanged site built again (the same folder, the PDFs of
    its last build and the user cache at hand) against its first build (a new folder, an empty
    cache: removing those is part of the baseline's run, a few ms); and an edit's dry run against
    validate, at 5,000 records."""
    out, cache = tmp / "rebuilt-site", tmp / "rebuilt-cache"
    first = [
        "sh",
        "-c",
        'rm -rf "$1" "$2" && XDG_CACHE_HOME="$1" exec "$0" --data "$3" site -o "$2" --as-at 2019-05-02',
        SECSTATUS,
        str(tmp / "first-cache"),
        str(tmp / "first-site"),
        str(SHIPPED),
    ]
    pairs = detail(
        "unchanged site rebuilt, shipped",
        compare(site(SHIPPED, out, "2019-05-02"), first, env_a={"XDG_CACHE_HOME": str(cache)}),
    )
    rows = [Row("site rebuilt unchanged, shipped", "its first build", 0.4, pairs.ratio)]
    edit = [
        SECSTATUS,
        "--data",
        str(registers[5_000]),
        "record",
        "DP071",
        "csc-decision",
        "--outcome",
        "ready-for-conversion",
        "--date",
        "2019-05-03",
        "--dry-run",
    ]
    pairs = detail("record --dry-run, 5,000 records", compare(edit, validate(registers[5_000])))
    rows.append(Row("record --dry-run, 5k records", "validate, same register", 1.3, pairs.ratio))
    return rows


def growth_rows(tmp: Path, registers: dict[int, Path]) -> list[Row]:
    """Cost per record above the shipped register's, at each size, runs interleaved across sizes.

    In each round every size is run once; a record's cost at size n is (T(n) - T(shipped)) / (n -
    shipped records) in that round, and so is its share of the peak memory. The rows compare what
    a record adds between 10k and 20k with what it adds between 1k and 5k, round by round (the
    slope at the top over the slope at the bottom): about 1 is linear. Differences are used, not
    totals, so that start-up is left out and a small register's noise is not divided by little.
    """
    out = tmp / "growth.html"
    sizes = {0: SHIPPED, **registers}
    shipped_count = len(list((SHIPPED / "modifications").glob("*.yaml")))
    commands = {"validate": validate, "report": lambda data: report(data, out)}
    times: dict[tuple[str, int], list] = {(c, n): [] for c in commands for n in sizes}
    for _ in range(RUNS + 1):
        for n, data in sizes.items():
            for name, command in commands.items():
                times[name, n].append(run(command(data)))
    # cost[name, n] = ([us per record], [KiB per record]), one value per counted round
    cost: dict[tuple[str, int], tuple[list[float], list[float]]] = {}
    for name in commands:
        base = times[name, 0][1:]  # the first round warmed up
        for n in SIZES:
            extra, runs = n - shipped_count, times[name, n][1:]
            cost[name, n] = (
                [(a.cpu - b.cpu) / extra * 1e6 for a, b in zip(runs, base, strict=True)],
                [(a.peak - b.peak) * 1024 / extra for a, b in zip(runs, base, strict=True)],
            )
    print(
        f"  {'records':>8} {'validate us/rec':>16} {'report us/rec':>14} {'validate KiB/rec':>17} "
        f"{'report KiB/rec':>15}  (above the shipped register; medians of {RUNS} rounds)"
    )
    med = statistics.median
    for n in SIZES:
        print(
            f"  {n:>8,} {med(cost['validate', n][0]):>16.0f} {med(cost['report', n][0]):>14.0f} "
            f"{med(cost['validate', n][1]):>17.2f} {med(cost['report', n][1]):>15.2f}",
            flush=True,
        )
    rows = []
    for name in commands:
        for what, index in (("time", 0), ("peak RSS", 1)):
            rounds = [[getattr(r, "cpu" if index == 0 else "peak") for r in times[name, n][1:]] for n in SIZES]
            low = [(b - a) / (SIZES[1] - SIZES[0]) for a, b in zip(rounds[0], rounds[1], strict=True)]
            high = [(b - a) / (SIZES[3] - SIZES[2]) for a, b in zip(rounds[2], rounds[3], strict=True)]
            rows.append(
                Row(
                    f"{name}, {what} per added record, 10k-20k",
                    "the same, 1k-5k",
                    1.25,
                    ratio_of([h / lo for h, lo in zip(high, low, strict=True)]),
                )
            )
    return rows


def print_table(rows: list[Row]) -> None:
    header = ["row", "baseline", "goal", "median", "range", "verdict"]
    table = [header, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    print()
    for line in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())


def compile_sources() -> None:
    """Compile secstatus to bytecode first, as an installed package is and as the baselines'
    libraries are: an editable install under PYTHONDONTWRITEBYTECODE (set on these machines) would
    otherwise compile every module from source on every run, which no user's run does."""
    import compileall

    import secstatus

    compileall.compile_dir(str(Path(secstatus.__file__).parent), quiet=1)


def main() -> None:
    compile_sources()
    print(
        f"issues 11 and 20 table: {RUNS} pairs per row after a warm-up pair; "
        f"CPU time (user + system) of whole processes, median and range of the pairwise ratios; "
        f"secstatus compiled to bytecode, as installed"
    )
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        registers = {n: write_register(tmp / str(n), n) for n in SIZES}
        rows = speed_rows(tmp, registers)
        rows += growth_rows(tmp, registers)
        rows += reuse_rows(tmp, registers)
        rows += history_rows(tmp)
    print_table(rows)


if __name__ == "__main__":
    main()
