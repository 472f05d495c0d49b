"""Time, size and peak memory of the end-of-program report PDF, against the bare engine on the
same HTML (targets: ours / bare below 1.2×, peak RSS of a fresh process below 500 MB, the
30-trainee report in under 20 s).

Seeds the demo (`seed_demo`, whose finished program is the first case) and two synthetic
programs of 30 trainees × 10 days into a throwaway SQLite database under a temporary folder:
two activities a day, a submitted reflection per trainee and day, the survey before and
after, a trip with a seminar and a 復命書 per trainee. The two differ in how much the trainees
write in each of the reflection's five sections: 80–250 characters ("typical", what a
trainee writes on a phone in the evening) or 300–800 ("long", a writer who fills a page a
day; the model allows 2,000). Each report is built `--runs` times through our path
(program_context + the template + documents.render_pdf) and its HTML as many times by
`weasyprint.HTML(string=html).write_pdf()` alone; medians are shown. Every build runs in a
fresh process (this script again, --child or --bare-child), timed after a one-line warm-up
document, which gives the peak memory of a process doing one full build as well. No server is
needed: the functions are called directly, and the Celery broker is an in-memory one.

    .venv/bin/python bench/report_pdf.py [--runs 2] [--trainees 30] [--days 10]
                                         [--no-trip-reports] [--keep]

About 4 minutes on two cores, nearly all of it in the engine on the "long" program.

Always exits 0 once the set-up has worked: it is a report, not a test.
"""

import argparse
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RATIO_TARGET = 1.2
MEMORY_TARGET_MB = 500
TIME_TARGET_S = 20.0

from bench.report_seed import LONG, TYPICAL, seed_demo, seed_synthetic  # noqa: E402


def configure(folder: Path) -> None:
    """Everything the settings read from the environment points into `folder` (its own
    database, cache and media), whatever the calling shell has set."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "KENSHU_VAR_DIR": str(folder),
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"),
            "DEBUG": "false",  # production-like templates, no query log
            "REDIS_URL": "",
            "CELERY_BROKER_URL": "memory://localhost/",
            "CELERY_RESULT_BACKEND": "cache+memory://",
            "EMAIL_URL": "dummymail://",
            "LOG_LEVEL": "WARNING",
        }
    )


def peak_mb() -> float:
    """This process's peak RSS. VmHWM, the high-water mark of the process image: ru_maxrss
    of a child started by subprocess (vfork + exec) starts from the parent's own peak, which
    would hide a smaller child's figure; ru_maxrss where there is no /proc."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


# Measuring -----------------------------------------------------------------------------------

WARM_UP = (
    '<html lang="ja"><body style="font-family: \'Noto Sans CJK JP\'"><p>研修 ok</p></body></html>'
)


def ours(program) -> tuple[str, bytes, dict]:
    """Our path, timed in its parts: what program_html and documents.render_pdf do."""
    from django.utils import translation

    from reports import documents, program_documents

    with translation.override("ja"):
        t0 = time.perf_counter()
        context = program_documents.program_context(program)
        t1 = time.perf_counter()
        html = program_documents.render_html("program", context)
        t2 = time.perf_counter()
    pdf = documents.render_pdf(html)
    t3 = time.perf_counter()
    return html, pdf, {"context": t1 - t0, "template": t2 - t1, "pdf": t3 - t2, "total": t3 - t0}


def child(program_pk: int, html_path: str, pdf_path: str) -> None:
    """One full build in a fresh process (Django set up): first what a worker does once
    (the engine's import and fonts, fonts.covered) on a one-line document, then the report.
    Prints the times, the peak RSS at the end of the build, and whether the HTML is the one
    the parent hashed."""
    import django

    django.setup()
    from programs.models import Program
    from reports import documents, fonts

    program = Program.objects.get(pk=program_pk)
    t0 = time.perf_counter()
    documents.render_pdf(WARM_UP)
    warm_up = time.perf_counter() - t0
    html, pdf, times = ours(program)
    rss = peak_mb()
    t0 = time.perf_counter()
    fonts.printable(html)  # the part of render_pdf before the engine
    times["printable"] = time.perf_counter() - t0
    Path(pdf_path).write_bytes(pdf)
    same = html == Path(html_path).read_text(encoding="utf-8")
    print(json.dumps({**times, "warm_up": warm_up, "rss": rss, "same": same}))


def bare_child(html_path: str) -> None:
    """The bare engine on the saved HTML in a fresh process (no Django), after the same
    one-line warm-up."""
    from weasyprint import HTML

    HTML(string=WARM_UP).write_pdf()
    html = Path(html_path).read_text(encoding="utf-8")
    t0 = time.perf_counter()
    HTML(string=html).write_pdf()
    print(json.dumps({"total": time.perf_counter() - t0, "rss": peak_mb()}))


def fresh_process(*args: str) -> dict:
    """This script again in a new interpreter; its last line of output is a JSON object."""
    done = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        timeout=1200,
        cwd=ROOT,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"a measuring process failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(name: str, program_pk: int, runs: int, folder: Path) -> dict:
    """`runs` rounds of our build and of the bare engine, each in a fresh process, one after
    the other (which goes first alternates, so that a slower moment of the machine does not
    always hit the same one)."""
    from django.utils import timezone
    from pypdf import PdfReader

    from programs.models import Program
    from reports import program_documents

    program = Program.objects.get(pk=program_pk)
    html_runs = []
    for _ in range(runs):
        t0 = time.perf_counter()
        html = program_documents.program_html(program, today=timezone.localdate())
        html_runs.append(time.perf_counter() - t0)
    html_path, pdf_path = folder / f"{program_pk}.html", folder / f"{program_pk}.pdf"
    html_path.write_text(html, encoding="utf-8")
    our_args = ("--dir", str(folder), "--child", str(program_pk), str(html_path), str(pdf_path))
    bare_args = ("--bare-child", str(html_path))
    our_runs, bare_runs = [], []
    for i in range(runs):
        if i % 2:
            bare_runs.append(fresh_process(*bare_args))
            our_runs.append(fresh_process(*our_args))
        else:
            our_runs.append(fresh_process(*our_args))
            bare_runs.append(fresh_process(*bare_args))
        print(
            f"  {name}: run {i + 1}/{runs}: ours {our_runs[-1]['total']:.2f} s, "
            f"bare {bare_runs[-1]['total']:.2f} s",
            flush=True,
        )
    pdf = pdf_path.read_bytes()

    def median(key, rows=our_runs):
        return statistics.median(r[key] for r in rows)

    return {
        "name": name,
        "trainees": program.enrollments.active().count(),
        "days": len(program.days),
        "html_kb": len(html.encode()) / 1024,
        "pages": len(PdfReader(io.BytesIO(pdf)).pages),
        "pdf_kb": len(pdf) / 1024,
        "ours": median("total"),
        "context": median("context"),
        "template": median("template"),
        "printable": median("printable"),
        "engine_in_ours": median("pdf") - median("printable"),
        "bare": median("total", bare_runs),
        "html_only": statistics.median(html_runs),
        "warm_up": median("warm_up"),
        "cold": our_runs[0]["warm_up"] + our_runs[0]["total"],
        "rss": max(r["rss"] for r in our_runs),
        "bare_rss": max(r["rss"] for r in bare_runs),
        "same_html": all(r["same"] for r in our_runs),
    }


def report(results: list[dict]) -> None:
    print(
        f"\n{'case':<22}{'trainees':>9}{'days':>5}{'pages':>7}{'PDF KB':>9}{'HTML KB':>9}"
        f"{'ours s':>8}{'bare s':>8}{'ratio':>7}{'cold s':>8}{'peak MB':>9}{'bare MB':>9}"
    )
    for r in results:
        print(
            f"{r['name']:<22}{r['trainees']:>9}{r['days']:>5}{r['pages']:>7}{r['pdf_kb']:>9.0f}"
            f"{r['html_kb']:>9.0f}{r['ours']:>8.2f}{r['bare']:>8.2f}{r['ours'] / r['bare']:>7.2f}"
            f"{r['cold']:>8.2f}{r['rss']:>9.0f}{r['bare_rss']:>9.0f}"
        )
    print(
        f"\nwhere our time goes (medians, s)\n{'case':<22}{'context':>9}{'template':>10}"
        f"{'printable':>11}{'engine':>9}{'bare':>8}{'warm-up':>9}{'program_html':>14}"
    )
    for r in results:
        print(
            f"{r['name']:<22}{r['context']:>9.3f}{r['template']:>10.3f}{r['printable']:>11.3f}"
            f"{r['engine_in_ours']:>9.2f}{r['bare']:>8.2f}{r['warm_up']:>9.2f}"
            f"{r['html_only']:>14.3f}"
        )
    print(
        "\n".join(
            [
                "",
                "ours  = program_context + template + documents.render_pdf (fonts.printable, then",
                "        the engine); bare = weasyprint.HTML(string=html).write_pdf(), same HTML.",
                "Every run in a fresh process, one after the other, timed after a one-line warm-up",
                "document (the engine's import and fonts, fonts.covered: the warm-up column).",
                "cold  = warm-up + the first build. peak MB = peak RSS (VmHWM) of our process,",
                "        Django included; bare MB = of the engine alone on the same HTML.",
                "program_html = what the request spends building the HTML it hashes.",
            ]
        )
    )
    print()
    for r in results:
        ratio = r["ours"] / r["bare"]
        verdict(ratio < RATIO_TARGET, f"{r['name']}: ours / bare {ratio:.2f}× < {RATIO_TARGET}×")
        verdict(
            r["rss"] < MEMORY_TARGET_MB,
            f"{r['name']}: peak RSS {r['rss']:.0f} MB < {MEMORY_TARGET_MB} MB",
        )
        if not r["same_html"]:
            print(f"NOTE  {r['name']}: the HTML differs between two builds of the same data")
    for big in results[1:]:
        verdict(
            big["cold"] < TIME_TARGET_S,
            f"{big['name']}: total {big['cold']:.1f} s in a fresh process "
            f"({big['ours']:.1f} s after the warm-up) < {TIME_TARGET_S:.0f} s",
        )


def verdict(ok: bool, text: str) -> None:
    print(f"{'PASS' if ok else 'FAIL'}  {text}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--trainees", type=int, default=30)
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument(
        "--no-trip-reports",
        dest="trip_reports",
        action="store_false",
        help="no 復命書 (by default every trainee filed one)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--bare-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_child:
        bare_child(args.bare_child)
        return
    if args.child:
        configure(Path(args.dir))
        child(int(args.child[0]), args.child[1], args.child[2])
        return

    folder = Path(tempfile.mkdtemp(prefix="kenshu-bench-report-"))
    configure(folder)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        demo = seed_demo()
        programs = {}
        for label, lengths in (("typical", TYPICAL), ("long", LONG)):
            programs[label] = seed_synthetic(
                args.trainees, args.days, args.trip_reports, label, lengths
            )
            print(
                f"{label}: {args.trainees} trainees × {args.days} days, a reflection each day "
                f"of 5 sections × {lengths[0]}–{lengths[1]} characters, "
                f"{'a 復命書 each' if args.trip_reports else 'no 復命書'}",
                flush=True,
            )
        print(f"seeded in {time.perf_counter() - started:.1f} s", flush=True)
        results = [measure("demo (finished)", demo, args.runs, folder)] + [
            measure(f"{args.trainees}×{args.days} {label}", pk, args.runs, folder)
            for label, pk in programs.items()
        ]
        report(results)
    finally:
        if args.keep:
            print(f"\nkept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
