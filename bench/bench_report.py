"""Benchmark: the monthly report, whole processes, against baselines measured in the same run.

Ratios printed (goals in brackets):
- May 2019 HTML report / a process that only imports its dependencies (click, yaml, jinja2,
  holidays and pydantic's BaseModel, which `import pydantic` alone defers) [<= 1.5]
- May 2019 PDF report / a process that only imports weasyprint [<= 4], per page [<= 200 ms],
  peak RSS [<= 150 MiB]
- 10,000-record synthetic register: HTML report / its bare load_register [<= 1.5]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import write_register  # noqa: E402

PEAK = "import atexit, resource, sys; atexit.register(lambda: sys.stderr.write(f'PEAK {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n'))"


def run(code: str, *args: str, repeats: int = 5) -> tuple[float, float]:
    """Best wall time (s) and peak RSS (MiB) of ``python -c code args`` over ``repeats`` runs."""
    best, peak = float("inf"), 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", PEAK + "\n" + code, *args], capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        best = min(best, elapsed)
        peak = max(peak, int(done.stderr.rsplit("PEAK ", 1)[1]) / 1024)
    return best, peak


def report(data: Path, fmt: str, out: Path) -> str:
    return (f"from secstatus.cli import main\nimport sys\ntry:\n    main(['--data', {str(data)!r}, 'report', "
            f"'--month', '2019-05', '--format', {fmt!r}, '-o', {str(out)!r}])\nexcept SystemExit as e:\n"
            f"    sys.exit(e.code)")


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        deps, _ = run("import click, yaml, jinja2, holidays; from pydantic import BaseModel")
        html, html_peak = run(report(ROOT / "data", "html", tmp_path / "r.html"))
        print(f"May 2019 HTML: {html * 1000:.0f} ms; imports only: {deps * 1000:.0f} ms; "
              f"ratio {html / deps:.2f} (goal <= 1.5)")

        bare, _ = run("import weasyprint", repeats=3)
        pdf, pdf_peak = run(report(ROOT / "data", "pdf", tmp_path / "r.pdf"), repeats=3)
        n = pages(tmp_path / "r.pdf")
        print(f"May 2019 PDF: {pdf * 1000:.0f} ms for {n} pages ({(pdf - bare) / n * 1000:.0f} ms a page beyond "
              f"the import, goal <= 200); import weasyprint: {bare * 1000:.0f} ms; ratio {pdf / bare:.2f} "
              f"(goal <= 4); peak RSS {pdf_peak:.0f} MiB (goal <= 150)")

        data = write_register(tmp_path / "synth", 10_000)
        load_code = (f"from pathlib import Path\nfrom secstatus.load import load_register\n"
                     f"load_register(Path({str(data)!r}))")
        load, _ = run(load_code, repeats=2)
        big, big_peak = run(report(data, "html", tmp_path / "big.html"), repeats=2)
        print(f"10,000 records HTML: {big:.2f} s; bare load: {load:.2f} s; ratio {big / load:.2f} (goal <= 1.5); "
              f"peak RSS {big_peak:.0f} MiB")


if __name__ == "__main__":
    main()
