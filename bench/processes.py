"""Child processes of the tests, the rehearsal and the drills."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM, then SIGKILL if it has not gone within `timeout` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def manage(args: list[str], env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python manage.py ARGS` from the checkout with exactly `env`, its output captured."""
    return subprocess.run(  # noqa: S603 (this interpreter, this checkout's manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
