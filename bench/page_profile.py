"""Where a page's time goes, in process, with the fragment cache off: milliseconds per
request (the best of five rounds of 30), of which SQL and template rendering, the number of
queries and the size, for each page of bench/week_pages.py, against the trivial view. A tool
for finding what to move, not a measure of throughput (that is week_pages.py, through
gunicorn and wrk).

    .venv/bin/python bench/page_profile.py [--seed] [--profile] [page-name-fragment ...]

--seed fills the benchmark database first (as week_pages.py does); --profile prints cProfile's
top functions for each page (SORT=tottime to sort by own time)."""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ["KENSHU_FRAGMENT_CACHE"] = "false"
DATABASE = os.environ.get("DATABASE_URL", "postgres://root@127.0.0.1:5432/kenshu_bench")
REQUESTS = 30
ROUNDS = 5


def instrument(spent: dict):
    """Count template rendering into `spent["render"]`; return the database wrapper that
    counts SQL time and queries into `spent`."""
    from django.template.backends import django as django_backend
    from django.template.backends import jinja2 as jinja2_backend

    def timed(render):
        def wrapper(self, *args, **kwargs):
            start = time.perf_counter()
            try:
                return render(self, *args, **kwargs)
            finally:
                spent["render"] += time.perf_counter() - start

        return wrapper

    django_backend.Template.render = timed(django_backend.Template.render)
    jinja2_backend.Template.render = timed(jinja2_backend.Template.render)

    def count_sql(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent["sql"] += time.perf_counter() - start
            spent["queries"] += 1

    return count_sql


def best_round(client, path: str, spent: dict, count_sql) -> tuple[float, dict]:
    """Seconds per request and what was spent, of the fastest of ROUNDS rounds: this
    machine's speed drifts, and a round can be slowed by the other tenants; the fastest
    round is the page's own cost."""
    from django.db import connection

    rounds = []
    for _ in range(ROUNDS):
        spent.update(sql=0.0, queries=0, render=0.0)
        with connection.execute_wrapper(count_sql):
            start = time.perf_counter()
            for _ in range(REQUESTS):
                client.get(path)
            rounds.append(((time.perf_counter() - start) / REQUESTS, dict(spent)))
    return min(rounds, key=lambda r: r[0])


def profile_page(client, path: str) -> None:
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(REQUESTS):
        client.get(path)
    profile.disable()
    pstats.Stats(profile).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(40)


def main() -> None:
    import week_pages

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--seed" in sys.argv:
        week_pages.ensure_database(DATABASE)
        week_pages.seed()
    import django

    django.setup()
    from django.test import Client

    from programs.models import Program, User
    from seminars.models import Trip

    program = Program.objects.get(title="ITベンチャー研修 000")
    pages = week_pages.page_paths(program.pk, Trip.objects.get(program=program).pk)
    client = Client()
    client.force_login(User.objects.get(email="bench@example.org"))
    spent = {"sql": 0.0, "queries": 0, "render": 0.0}
    count_sql = instrument(spent)

    import config.wsgi  # noqa: F401 (settled as gunicorn's workers are: config.wsgi.settle)

    print(f"{'page':<28}{'ms':>8}{'sql ms':>8}{'render':>8}{'queries':>8}{'bytes':>8}")
    for name, path in pages.items():
        if args and name != "trivial view" and not any(a in name for a in args):
            continue
        for _ in range(3):
            response = client.get(path)
            assert response.status_code == 200, (name, response.status_code)
        took, best = best_round(client, path, spent, count_sql)
        print(
            f"{name:<28}{took * 1000:>8.2f}{best['sql'] / REQUESTS * 1000:>8.2f}"
            f"{best['render'] / REQUESTS * 1000:>8.2f}{best['queries'] / REQUESTS:>8.0f}"
            f"{len(response.content):>8}"
        )
        if "--profile" in sys.argv and name != "trivial view":
            profile_page(client, path)


if __name__ == "__main__":
    main()
