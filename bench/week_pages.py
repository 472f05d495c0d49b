"""Page throughput of the list, grid and dashboard pages, as a ratio to a trivial view behind
the same login, middleware and session (target: each page at least 0.30 without the cache).

Seeds 200 programs, 2,000 trainees and their weeks (and a second host's program) into a
database of its own, serves it with gunicorn (2 workers) and loads it with wrk (Debian
package `wrk`) from a second process. Each page's ratio is to the trivial view measured just
before it (the trivial line shows their mean). Three times:
- cold: the fragment cache switched off (KENSHU_FRAGMENT_CACHE=false): every page drawn;
- warm: the fragment cache on, nobody writing;
- mixed: the cache on while a writer process makes one write per twenty reads of the page
  (an activity renamed: half in this host's program, half in the other host's).

    .venv/bin/python bench/week_pages.py [--seconds 10] [--connections 8]
        [--columns cold] [--reuse] [page-name-fragment ...]

A fragment ("program list", "trip") measures only the pages whose name holds it; `--columns`
picks some of the three columns; `--reuse` serves the database a previous run seeded.

DATABASE_URL defaults to postgres://root@127.0.0.1:5432/kenshu_bench (created if missing).
"""

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
PORT = 8765

from bench.week_seed import ensure_database, seed, seeded  # noqa: E402 (after sys.path)


def wrk(url: str, cookie: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Cookie: sessionid={cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p99_ms": float(p99.group(1)) * scale,
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def page_paths(program: int, trip: int) -> dict[str, str]:
    return {
        "trivial view": "/bench/trivial/",
        "program list (50 rows)": "/programs/",
        "week grid": f"/programs/{program}/week/",
        "dashboard": "/host/",
        "reflection matrix (10×5)": f"/programs/{program}/reflections/",
        "new reflections (50 of 500)": "/reflections/new/",
        "interviews (list)": f"/programs/{program}/interviews/",
        "trips (list)": f"/programs/{program}/trips/",
        "trip page (10×7 legs)": f"/programs/{program}/trips/{trip}/",
    }


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--columns", default="cold,warm,mixed")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("only", nargs="*")
    args = parser.parse_args()
    args.columns = [c for c in ("cold", "warm", "mixed") if c in args.columns.split(",")]
    if "mixed" in args.columns and "warm" not in args.columns:
        parser.error("the mixed column writes at a twentieth of the warm rate: measure warm too")
    return args


def measure_column(column: str, pages: dict, info: dict, args, results: dict) -> None:
    """Each page of one column into `results[(page, column)]`, with the trivial view's rate
    measured just before it as its floor."""
    base = f"http://127.0.0.1:{PORT}"
    with serving(column != "cold"):
        for path in pages.values():  # warm up every worker
            wrk(base + path, info["cookie"], 1, args.connections)
        trivial_runs = []
        for name, path in pages.items():
            if name == "trivial view":
                continue
            # The trivial view again just before each page: this machine's speed drifts
            # by a fifth over minutes, and each ratio takes the floor measured beside it.
            floor = wrk(
                base + pages["trivial view"], info["cookie"], args.seconds, args.connections
            )
            trivial_runs.append(floor)
            writes = None
            if column == "mixed":
                writes = start_writer(results[(name, "warm")]["rps"] / 20, args.seconds)
            results[(name, column)] = wrk(
                base + path, info["cookie"], args.seconds, args.connections
            )
            results[(name, column)]["floor"] = floor["rps"]
            if writes is not None:
                results[(name, column)]["writes"] = stop_writer(writes)
    mean = sum(r["rps"] for r in trivial_runs) / len(trivial_runs)
    results[("trivial view", column)] = {
        "rps": mean,
        "p99_ms": max(r["p99_ms"] for r in trivial_runs),
        "errors": sum(r["errors"] for r in trivial_runs),
        "floor": mean,
    }


def print_table(pages: dict, columns: list[str], results: dict) -> None:
    print(f"\n{'page':<28}" + "".join(f"{c:>22}" for c in columns))
    print(f"{'':<28}" + "".join(f"{'req/s  ratio  p99ms':>22}" for _ in columns))
    for name in pages:
        cells = []
        for column in columns:
            r = results[(name, column)]
            cells.append(f"{r['rps']:>9.0f}{r['rps'] / r['floor']:>7.2f}{r['p99_ms']:>6.0f}")
        flag = ""
        if "cold" in columns and name != "trivial view":
            ratio = results[(name, "cold")]["rps"] / results[(name, "cold")]["floor"]
            flag = "" if ratio >= 0.30 else "  cold below 0.30"
        errors = sum(results[(name, c)]["errors"] for c in columns)
        writes = results[(name, "mixed")].get("writes") if "mixed" in columns else None
        extra = f"  errors {errors}" if errors else ""
        extra += f"  ({writes} writes)" if writes is not None else ""
        print(f"{name:<28}" + "".join(f"{c:>22}" for c in cells) + flag + extra)


def main() -> None:
    args = arguments()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    if args.reuse:
        info = seeded()
    else:
        ensure_database(
            os.environ.get("DATABASE_URL", "postgres://root@127.0.0.1:5432/kenshu_bench")
        )
        info = seed()
    print(
        f"seeded: 200 programs, 2000 trainees, {info['activities']} activities, "
        f"{info['reflections']} reflections"
    )
    pages = {
        name: path
        for name, path in page_paths(info["program"], info["trip"]).items()
        if name == "trivial view" or not args.only or any(f in name for f in args.only)
    }
    results = {}
    for column in args.columns:
        measure_column(column, pages, info, args, results)
    print_table(pages, args.columns, results)


@contextlib.contextmanager
def serving(cache_on: bool):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "KENSHU_FRAGMENT_CACHE": "true" if cache_on else "false",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        yield
    finally:
        server.terminate()
        server.wait(timeout=20)


WRITER = """
import sys, time
import django
django.setup()
from programs.models import Activity
rate, seconds = float(sys.argv[1]), float(sys.argv[2])
found = Activity.objects.filter(title__startswith="書き換えられる活動")
rows = list(found.order_by("program__host"))
end, n = time.monotonic() + seconds, 0
while time.monotonic() < end:
    row = rows[n % len(rows)]  # this host's, then the other host's
    row.title = f"書き換えられる活動 {n}"
    row.save(update_fields=["title"])
    n += 1
    time.sleep(1 / rate)
print(n)
"""


def start_writer(rate: float, seconds: int):
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(max(rate, 0.1)), str(seconds)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )


def stop_writer(writer) -> int:
    out, _err = writer.communicate(timeout=60)
    return int(out.strip() or 0)


if __name__ == "__main__":
    main()
