"""Rehearsal of production on several machines (not a test). On this machine, loopback only:
two gunicorn web nodes and two Celery workers, each in its own folder, one beat, PostgreSQL,
Redis, an S3-protocol store (moto's server), an SMTP server that counts what arrives, and
nginx in front with the repository's own site (deploy/nginx/kenshu.conf, TLS, X-Accel-Redirect).
Every process is started with deploy/Procfile's command, on config.settings.production.

A load of coordinators and trainees (30 at once by default) reads pages, autosaves and submits
reflections, and asks for documents and downloads them, through nginx's round robin. Half way,
one web node and one worker are killed (SIGKILL) and started again. Then it prints requests,
errors by kind, p50/p99, documents built and downloaded, reminders sent, and what was lost or
sent twice: both must be 0.

    .venv/bin/python bench/cluster.py [--users 30] [--seconds 120]

Needs PostgreSQL on 127.0.0.1:5432 (a database `kenshu_cluster` is made afresh), Redis on
127.0.0.1:6379 (databases 8–10 are emptied) and nginx (`scripts/system-packages cluster`)."""

import argparse
import os
import secrets
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cluster_load import Load, report  # noqa: E402
from bench.cluster_parts import (  # noqa: E402
    Cluster,
    fresh_database,
    fresh_redis,
    self_signed,
    smtp_sink,
)
from bench.s3server import free_port, s3_server  # noqa: E402

DATABASE = "kenshu_cluster"
REDIS = "redis://127.0.0.1:6379/8"  # the broker; results 9, cache 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=120)
    args = parser.parse_args()
    if not shutil.which("nginx"):
        sys.exit("nginx is needed: scripts/system-packages cluster")
    work = ROOT / "var" / "cluster" / datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    work.mkdir(parents=True)
    print(f"rehearsal in {work.relative_to(ROOT)}")
    fresh_database(DATABASE)
    fresh_redis(REDIS)
    https_port = free_port()
    cert, key = self_signed(work / "tls")
    with s3_server(work / "store") as store, smtp_sink() as sink:
        env = {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{https_port}",
            "KENSHU_BASE_URL": f"https://127.0.0.1:{https_port}",
            "DATABASE_URL": f"postgres://root@127.0.0.1:5432/{DATABASE}",
            "REDIS_URL": REDIS,
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            "DEFAULT_FROM_EMAIL": "Kenshu <noreply@kenshu.localhost>",
            "STATIC_ROOT": str(work / "staticfiles"),
            "KENSHU_ACCEL_REDIRECT": "true",
            "KENSHU_REMINDER_TICK_MINUTES": "1",
            "WEB_WORKERS": "3",
            "WORKER_CONCURRENCY": "2",
            "LOG_LEVEL": "WARNING",
            **store.env,
        }
        cluster = Cluster(work, env, https_port=https_port, cert=cert, key=key, store=store)
        cluster.release()
        people = cluster.seed(args.users)
        with cluster.running():
            load = Load(cluster.base, cert, people, seconds=args.seconds)
            load.run(halfway=cluster.kill_and_restart)
            load.drain(timeout=180)
            cluster.wait_for_reminders(timeout=180)
            figures = report(load, cluster, sink)
    for line in figures["lines"]:
        print(line)
    return 0 if figures["lost"] == 0 and figures["duplicates"] == 0 else 1


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
