"""Which worker processes are alive, for work a worker claimed and then died with.

With Redis as the broker, a message a worker had taken when it lost power comes back only after
the broker's visibility timeout (6 h, above every countdown). So a row a task claims records
the claiming worker's run (`worker_run()`: a random id for each start of a worker), and each
running worker says it is alive in the cache every HEARTBEAT seconds. A row claimed by a run
the cache no longer knows is work to hand out again (reports.tasks.requeue_orphaned_builds)."""

import threading
import uuid

from celery.signals import worker_init, worker_shutdown
from django.core.cache import cache

HEARTBEAT = 10  # seconds between two "alive" writes
ALIVE_FOR = 30  # seconds a run counts as alive after its last write
_run = ""
_name = ""  # the worker's node name (worker-1@host), kept as the heartbeat's value
_stop = threading.Event()


def worker_run() -> str:
    """This worker's run ("" outside a worker: a web process, eager tasks in tests)."""
    return _run


def key(run: str) -> str:
    return f"worker-alive:{run}"


def alive(runs) -> set[str]:
    runs = [r for r in set(runs) if r]
    found = cache.get_many([key(r) for r in runs])
    return {r for r in runs if key(r) in found}


def beat_once(run: str, name: str = "") -> None:
    cache.set(key(run), name or 1, timeout=ALIVE_FOR)


def name_of(run: str) -> str:
    """The node name of a run still alive ("" if gone or unnamed)."""
    value = cache.get(key(run))
    return value if isinstance(value, str) else ""


@worker_init.connect
def _start(sender=None, **_kwargs) -> None:
    """In the worker's main process, before its pool forks: the children inherit the run."""
    global _run, _name
    if _run:
        return
    _run, _name = uuid.uuid4().hex, getattr(sender, "hostname", "") or ""
    beat_once(_run, _name)
    _stop.clear()

    def loop():
        while not _stop.wait(HEARTBEAT):
            try:
                beat_once(_run, _name)
            except Exception:  # noqa: BLE001, S112 -- the cache away a moment: try again
                continue

    threading.Thread(target=loop, name="kenshu-alive", daemon=True).start()


@worker_shutdown.connect
def _stop_beating(**_kwargs) -> None:
    _stop.set()
