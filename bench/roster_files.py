"""Reading hostile roster files: time and peak memory of `read_roster` on each, each in a fresh
process, against a plain 10,000-row CSV (the ratio), and what openpyxl's read-only sheet
(the reader before) does with the same .xlsx files within a time limit.

Cases:
  plain-csv      10,000 trainees, five columns (the yardstick)
  plain-xlsx     the same as .xlsx
  whole-grid     2 KB: declares A1:XFD1048576, a styled empty cell at XFD1048576
  far-content    2 KB: the same, with text in A1048576 (refused: content past the limit)
  wide-rows      10,000 rows each with a cell in XFD (~250 KB)
  full-width     30 rows of 16,000 empty styled cells (480,000 cells: just under the limit)
  one-wide-row   one row of 1,800,000 empty styled cells (18 MB of XML, under the 20 MB limit)

Targets (the issue's): every case refused or previewed in under 5 s with flat memory (peak RSS
within a few tens of MB of the plain CSV's).

    .venv/bin/python bench/roster_files.py [--old-seconds 10]

Needs no server: a throwaway SQLite database under a temporary folder. Exits 0 once set up.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.report_pdf import configure, peak_mb  # noqa: E402

CASES = [
    "plain-csv",
    "plain-xlsx",
    "whole-grid",
    "far-content",
    "wide-rows",
    "full-width",
    "one-wide-row",
]
TARGET_S = 5.0


def build(case: str) -> tuple[bytes, str]:
    from tests.programs.test_roster import HEADINGS, _row, sheet_xlsx, with_cells

    people = [(f"研修生 {i}", f"t{i}@example.org", "402061", "課", "主事") for i in range(10**4)]
    if case == "plain-csv":
        text = ",".join(HEADINGS) + "\n" + "".join(",".join(p) + "\n" for p in people)
        return text.encode("utf-8-sig"), "名簿.csv"
    if case == "plain-xlsx":
        rows = {1: _row(*HEADINGS), **{i + 2: _row(*p) for i, p in enumerate(people)}}
        return sheet_xlsx(rows, dimension="A1:E10001"), "名簿.xlsx"
    if case in ("whole-grid", "far-content"):
        last = {1: "忘れられた行"} if case == "far-content" else {1: "", 16_384: ""}
        rows = {1: _row(*HEADINGS), 2: _row(*people[0]), 1_048_576: last}
        return sheet_xlsx(rows, dimension="A1:XFD1048576"), "名簿.xlsx"
    if case == "wide-rows":
        rows = {
            1: _row(*HEADINGS),
            **{i + 2: {**_row(*p), 16_384: "x"} for i, p in enumerate(people)},
        }
        return sheet_xlsx(rows, dimension="A1:XFD10001"), "名簿.xlsx"
    if case == "full-width":
        sheet = sheet_xlsx({1: _row(*HEADINGS), 2: _row(*people[0])})
        return with_cells(sheet, 30, 16_000), "名簿.xlsx"
    sheet = sheet_xlsx({1: _row(*HEADINGS), 2: _row(*people[0])})
    return with_cells(sheet, 1, 1_800_000), "名簿.xlsx"


def child(case: str, old: bool) -> None:
    import django

    django.setup()
    data, name = build(case)
    result = {"case": case, "bytes": len(data)}
    if old:  # the reader before: openpyxl's read-only sheet, padded to the declared grid
        import io

        from openpyxl import load_workbook

        from programs.services import roster_files as roster

        baseline = peak_mb()
        started = time.perf_counter()
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        for values in sheet.iter_rows(values_only=True):  # what the roster reader did with it
            record = [roster._cell(v) for v in values]
            any(cell.strip() for cell in record)
        result.update(seconds=time.perf_counter() - started, grew_mb=peak_mb() - baseline)
    else:
        from django.db import transaction

        # Each child's program and coordinator are rolled back: the next child starts clean.
        with transaction.atomic():
            measure(data, name, result)
            transaction.set_rollback(True)
    print(json.dumps(result, ensure_ascii=False))


def measure(data: bytes, name: str, result: dict) -> None:
    from programs.services import roster
    from tests.factories import MembershipFactory, MunicipalityFactory, ProgramFactory

    MunicipalityFactory(code="402061", name="田川市", prefecture=40)
    program = ProgramFactory()
    by = MembershipFactory(host_company=program.host).user
    baseline = peak_mb()
    started = time.perf_counter()
    try:
        preview = roster.read_roster(program, data, name, by=by)
        result["outcome"] = f"preview of {len(preview.rows)} rows"
    except roster.RosterRefused as refused:
        result["outcome"] = "refused: " + refused.message[:60]
    result.update(seconds=time.perf_counter() - started, grew_mb=peak_mb() - baseline)


def run(folder: Path, case: str, old: bool, limit: float) -> dict:
    command = [sys.executable, __file__, "--child", case, "--dir", str(folder)]
    try:
        done = subprocess.run(
            command + (["--old"] if old else []),
            capture_output=True,
            text=True,
            timeout=limit,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return {"case": case, "seconds": None, "outcome": f"did not finish in {limit:.0f} s"}
    except subprocess.CalledProcessError as failed:
        sys.exit(f"{case}: the child failed\n{failed.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old-seconds", type=float, default=10.0)
    parser.add_argument("--child")
    parser.add_argument("--old", action="store_true")
    parser.add_argument("--dir")
    args = parser.parse_args()
    if args.child:
        configure(Path(args.dir))
        child(args.child, args.old)
        return
    folder = Path(tempfile.mkdtemp(prefix="kenshu-roster-bench-"))
    try:
        configure(folder)
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        results = [run(folder, case, old=False, limit=120) for case in CASES]
        yardstick = results[0]["seconds"]
        print(f"{'case':<12} {'file':>9} {'seconds':>8} {'ratio':>6} {'+MB':>6}  outcome")
        for r in results:
            ok = r["seconds"] is not None and r["seconds"] < TARGET_S
            print(
                f"{r['case']:<12} {r['bytes']:>9,} {r['seconds']:>8.2f} "
                f"{r['seconds'] / yardstick:>6.2f} {r['grew_mb']:>6.1f}  {r['outcome']}"
                f"{'' if ok else '  (over the 5 s target)'}"
            )
        limit = f"{args.old_seconds:.0f} s"
        print(f"\nopenpyxl's read-only sheet on the same .xlsx files (limit {limit}):")
        for case in CASES[1:]:
            r = run(folder, case, old=True, limit=args.old_seconds)
            took = "—" if r["seconds"] is None else f"{r['seconds']:.2f} s, +{r['grew_mb']:.1f} MB"
            print(f"{case:<12} {took}  {r.get('outcome', '')}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
