"""Stored files (seminar materials, generated documents) wherever STORAGES puts them: the
local disk or an S3-compatible store. Every download goes through here after its view has
checked who may have the file; the store being away is a clear 503, never a 500."""

import concurrent.futures
import logging
import os
from urllib.parse import quote, urlsplit

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

logger = logging.getLogger(__name__)

# What a store that is away, slow or refusing raises: a disk's OSError, boto's own errors.
# (FileNotFoundError, an OSError, is a missing file: callers catch it first.)
STORE_ERRORS = (OSError, BotoCoreError, ClientError)

# nginx's internal locations (deploy/nginx/kenshu.conf) for X-Accel-Redirect.
ACCEL_DISK = "/_protected/media/"
ACCEL_STORE = "/_protected/store/"


def is_missing(exc: Exception) -> bool:
    if isinstance(exc, FileNotFoundError):
        return True
    return isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in (
        "404",
        "NoSuchKey",
    )


def accel_location(storage, name: str) -> str:
    """Where nginx fetches the file from once Kenshu has said yes."""
    if isinstance(storage, FileSystemStorage):
        return ACCEL_DISK + quote(name)
    # A signed address that lives STORAGE's querystring_expire (60 s): nginx follows it at
    # once, and it never reaches the browser.
    signed = urlsplit(storage.url(name))
    return ACCEL_STORE + signed.path.lstrip("/") + (f"?{signed.query}" if signed.query else "")


def download(
    request, field_file, *, filename: str, content_type: str, as_attachment: bool = True
) -> HttpResponse:
    """The file, to someone the caller has let through. 404 when it is not there, 503 with a
    page saying so when the store is away."""
    if not field_file:
        raise Http404
    if settings.KENSHU_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel_location(field_file.storage, field_file.name)
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    else:
        try:
            response = streamed(field_file, content_type, as_attachment, filename)
        except STORE_ERRORS as exc:
            if is_missing(exc):
                raise Http404 from exc
            logger.warning("The store is unavailable for %s: %r", field_file.name, exc)
            return store_unavailable(request)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def streamed(field_file, content_type: str, as_attachment: bool, filename: str):
    """The file's bytes as they come. From an S3 store, the object's GET (where a store that
    is away shows, before any header has gone) read in chunks, never held whole in memory;
    from the disk, Django's FileResponse."""
    storage = field_file.storage
    if not hasattr(storage, "bucket"):
        return FileResponse(
            field_file.open("rb"),
            content_type=content_type,
            as_attachment=as_attachment,
            filename=filename,
        )
    # django-storages' own mapping of a name to its key (the prefix, STORAGE_PREFIX).
    key = storage._normalize_name(field_file.name)
    got = storage.bucket.Object(key).get()
    response = StreamingHttpResponse(_chunks(got["Body"]), content_type=content_type)
    response["Content-Length"] = str(got["ContentLength"])
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    return response


def _chunks(body, size: int = 64 * 1024):
    try:
        yield from body.iter_chunks(size)
    finally:
        body.close()  # the connection back to boto3's pool, read or not


def store_unavailable(request) -> HttpResponse:
    response = render(request, "store_unavailable.html", status=503)
    response["Retry-After"] = "30"
    return response


def check_store() -> str:
    """For /healthz: the store answers (a HEAD of a key that need not exist), or the local
    folder is there and writable."""
    storage = default_storage
    try:
        if isinstance(storage, FileSystemStorage):
            root = storage.location
            os.makedirs(root, exist_ok=True)
            if not os.access(root, os.W_OK):
                return "error: not writable"
        else:
            # A store that accepts and never answers would hold the check for its read
            # timeout and retries: the load balancer hears within HEALTH_STORE_SECONDS.
            future = _health_pool.submit(storage.exists, "healthz")
            future.result(timeout=HEALTH_STORE_SECONDS)
    except concurrent.futures.TimeoutError:
        future.cancel()  # not started yet: it never will be; checks do not queue up
        return "error: timeout"
    except STORE_ERRORS as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


HEALTH_STORE_SECONDS = 3.0
_health_pool = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")
