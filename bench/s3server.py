"""A real S3-protocol server on loopback for the storage tests, the cluster rehearsal and the
backup drill: moto's standalone server (moto[server], installed by `make install-test`),
started as its own process, with a private bucket made through the S3 API.

    with s3_server(tmp_dir) as store:
        store.env        # STORAGE_* variables for a Kenshu process
        store.pause()    # the store stops answering (SIGSTOP) and keeps its objects
        store.resume()
"""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.processes import stop

ACCESS_KEY = "kenshu-test-key"
SECRET_KEY = "kenshu-test-secret"
REGION = "ap-northeast-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Store:
    process: subprocess.Popen
    port: int
    bucket: str
    prefix: str = "media"
    env: dict = field(default_factory=dict)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def objects(self) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


def store_env(port: int, bucket: str, prefix: str = "media") -> dict:
    return {
        "STORAGE_BUCKET": bucket,
        "STORAGE_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "STORAGE_REGION": REGION,
        "STORAGE_ACCESS_KEY_ID": ACCESS_KEY,
        "STORAGE_SECRET_ACCESS_KEY": SECRET_KEY,
        "STORAGE_ADDRESSING_STYLE": "path",
        "STORAGE_PREFIX": prefix,
    }


@contextmanager
def s3_server(log_dir: Path, bucket: str = "kenshu", port: int | None = None):
    port = port or free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    log = open(log_dir / "s3server.log", "w")  # noqa: SIM115 -- closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "true"},
    )
    store = Store(process, port, bucket, env=store_env(port, bucket))
    try:
        _wait_until_up(store, log_dir / "s3server.log")
        store.client().create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        yield store
    finally:
        store.resume()  # a paused process does not act on SIGTERM
        stop(process, timeout=10)
        log.close()


def _wait_until_up(store: Store, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if store.process.poll() is not None:
            raise RuntimeError(f"the S3 server exited: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", store.port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the S3 server did not start in {timeout} s")
