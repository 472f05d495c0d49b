"""The pieces of the cluster rehearsal (bench/cluster.py): a fresh database and Redis, a TLS
certificate, an SMTP server that counts, and the cluster itself, whose processes are started
with deploy/Procfile's commands and fronted by deploy/nginx/kenshu.conf."""

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.processes import stop
from bench.s3server import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "rehearsal-password-2026"  # noqa: S105 -- a throwaway database


def procfile() -> dict[str, str]:
    """deploy/Procfile: kind → command, as written."""
    commands = {}
    for line in (ROOT / "deploy" / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            kind, _, command = line.partition(":")
            commands[kind.strip()] = command.strip()
    return commands


def expand(command: str, env: dict) -> list[str]:
    """${NAME} from `env` (as systemd's EnvironmentFile= does); the program from the venv."""
    words = shlex.split(re.sub(r"\$\{([A-Z_]+)\}", lambda m: env[m.group(1)], command))
    return [str(BIN / words[0]), *words[1:]]


def nginx_site(values: dict) -> str:
    """deploy/nginx/kenshu.conf with its ${KENSHU_...} names filled in, as envsubst does."""
    site = (ROOT / "deploy" / "nginx" / "kenshu.conf").read_text()
    return re.sub(r"\$\{(KENSHU_[A-Z_]+)\}", lambda m: values[m.group(1)], site)


def fresh_database(name: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://root@127.0.0.1:5432/root", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def fresh_redis(url: str) -> None:
    import redis

    base = int(url.rsplit("/", 1)[1])
    for offset in range(3):
        redis.Redis.from_url(url.rsplit("/", 1)[0] + f"/{base + offset}").flushdb()


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that the load generator trusts (and nobody else)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@contextmanager
def smtp_sink():
    from aiosmtpd.controller import Controller

    from bench.reminders import Sink  # counts each reminder key (X-Kenshu-Reminder)

    sink = Sink()
    sink.port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@dataclass
class Node:
    name: str
    kind: str
    env: dict
    log_path: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.log_path, "a")  # noqa: SIM115 -- the child keeps it
        self.process = subprocess.Popen(
            expand(procfile()[self.kind], self.env),
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: a kill takes gunicorn's or celery's children
        )
        log.close()

    def kill(self) -> None:
        """What a machine that loses power does to it: SIGKILL to every process of the node."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            stop(self.process, timeout=30)


class Cluster:
    def __init__(self, work: Path, env: dict, *, https_port: int, cert, key, store):
        self.work, self.env, self.store = work, env, store
        self.https_port, self.cert, self.key = https_port, cert, key
        self.base = f"https://127.0.0.1:{https_port}"
        self.nodes: list[Node] = []
        self.events: list[str] = []
        for name, kind, extra in (
            ("web-1", "web", {"KENSHU_BIND": f"127.0.0.1:{free_port()}"}),
            ("web-2", "web", {"KENSHU_BIND": f"127.0.0.1:{free_port()}"}),
            ("worker-1", "worker", {"WORKER_NAME": "worker-1"}),
            ("worker-2", "worker", {"WORKER_NAME": "worker-2"}),
            ("beat", "beat", {}),
        ):
            folder = work / name
            folder.mkdir()
            node_env = {**env, "KENSHU_VAR_DIR": str(folder), "MEDIA_ROOT": str(folder / "media")}
            self.nodes.append(Node(name, kind, {**node_env, **extra}, work / f"{name}.log"))
        os.environ.update({**env, "KENSHU_VAR_DIR": str(work / "bench")})

    def node(self, name: str) -> Node:
        return next(n for n in self.nodes if n.name == name)

    def release(self) -> None:
        """deploy/Procfile's release line, as a release runs it on one machine."""
        env = {**os.environ, **self.env, "KENSHU_VAR_DIR": str(self.work / "release")}
        with open(self.work / "release.log", "w") as log:
            for step in procfile()["release"].split("&&"):
                subprocess.run(expand(step.strip(), env), cwd=ROOT, env=env, check=True, stdout=log)
        import django

        django.setup()

    def seed(self, users: int) -> dict:
        from bench.cluster_seed import seed

        return seed(users, PASSWORD)

    @contextmanager
    def running(self):
        for node in self.nodes:
            node.start()
        nginx = self._nginx()
        try:
            self._wait_until_serving()
            yield self
        finally:
            for node in self.nodes:
                node.stop()
            stop(nginx, timeout=10)

    def _nginx(self) -> subprocess.Popen:
        folder = self.work / "nginx"
        folder.mkdir()
        webs = [n for n in self.nodes if n.kind == "web"]
        values = {
            "KENSHU_WEB_NODES": " ".join(
                f"server {n.env['KENSHU_BIND']} max_fails=1 fail_timeout=5s;" for n in webs
            ),
            "KENSHU_HTTP_LISTEN": f"127.0.0.1:{free_port()}",
            "KENSHU_HTTPS_LISTEN": f"127.0.0.1:{self.https_port}",
            "KENSHU_SERVER_NAME": "127.0.0.1 localhost",
            "KENSHU_TLS_CERT": str(self.cert),
            "KENSHU_TLS_KEY": str(self.key),
            "KENSHU_STATIC_ROOT": self.env["STATIC_ROOT"],
            "KENSHU_MEDIA_ROOT": str(self.work / "media"),
            "KENSHU_STORE_ENDPOINT": self.store.endpoint,
        }
        (folder / "kenshu.conf").write_text(nginx_site(values))
        temp = "".join(
            f"{kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi")
        )
        (folder / "nginx.conf").write_text(
            ("user root;\n" if os.geteuid() == 0 else "")
            + f"worker_processes 2; pid {folder}/nginx.pid; error_log {folder}/error.log warn;\n"
            "events { worker_connections 1024; }\n"
            "http { include /etc/nginx/mime.types; default_type application/octet-stream;\n"
            f"  access_log {folder}/access.log; {temp}\n"
            f"  uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;\n"
            f"  include {folder}/kenshu.conf; }}\n"
        )
        conf = str(folder / "nginx.conf")
        subprocess.run(["nginx", "-t", "-q", "-c", conf], check=True)
        return subprocess.Popen(["nginx", "-c", conf, "-g", "daemon off;"])

    def _wait_until_serving(self, timeout: float = 90) -> None:
        import requests

        deadline = time.monotonic() + timeout
        webs = [n.env["KENSHU_BIND"] for n in self.nodes if n.kind == "web"]
        while time.monotonic() < deadline:
            try:
                ok = all(
                    requests.get(
                        f"http://{bind}/healthz",
                        headers={"X-Forwarded-Proto": "https"},
                        timeout=5,
                    ).status_code
                    == 200
                    for bind in webs
                )
                if ok and requests.get(f"{self.base}/healthz", verify=self.cert, timeout=5).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the cluster did not come up; see {self.work}/*.log")

    def kill_and_restart(self) -> None:
        """One web node and one worker lose power, and come back 5 s later. The worker is the
        one building a document at that moment, if one is (waiting up to 15 s for it)."""
        worker, building = self._busy_worker()
        victims = [self.node("web-1"), worker]
        for node in victims:
            node.kill()
        self.events.append(
            f"killed {', '.join(n.name for n in victims)} (SIGKILL"
            + (f", {worker.name} while it built document {building})" if building else ")")
        )
        time.sleep(5)
        for node in victims:
            node.start()
        self.events.append(f"started {', '.join(n.name for n in victims)} again")

    def _busy_worker(self) -> tuple[Node, int | None]:
        from programs.workers import name_of
        from reports.models import Report

        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            for pk, run in Report.objects.filter(state="running").values_list("pk", "claimed_by"):
                name = name_of(run).partition("@")[0]  # the node's WORKER_NAME
                for node in self.nodes:
                    if node.kind == "worker" and name == node.env["WORKER_NAME"]:
                        return node, pk
            time.sleep(0.2)
        return self.node("worker-1"), None

    def wait_for_reminders(self, timeout: float) -> None:
        """Until every reminder row due has an outcome (beat ticks each minute)."""
        from programs.models import Notification

        unsettled = ["pending", "claimed", "sending"]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (
                Notification.objects.exists()
                and not Notification.objects.filter(status__in=unsettled).exists()
            ):
                return
            time.sleep(2)
