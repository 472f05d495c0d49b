"""The S3-compatible store's options for STORAGES (django-storages), from plain values: the
settings read them from the environment, the tests give their own."""

from botocore.config import Config


def from_environment(values) -> dict:
    """STORAGE_* from a mapping (os.environ for the settings, a test's server's variables)."""
    return s3_storage(
        values["STORAGE_BUCKET"],
        endpoint_url=values.get("STORAGE_ENDPOINT_URL", ""),
        region=values.get("STORAGE_REGION", ""),
        access_key=values.get("STORAGE_ACCESS_KEY_ID", ""),
        secret_key=values.get("STORAGE_SECRET_ACCESS_KEY", ""),
        prefix=values.get("STORAGE_PREFIX", "media"),
        addressing_style=values.get("STORAGE_ADDRESSING_STYLE", "auto"),
        connect_timeout=float(values.get("STORAGE_CONNECT_TIMEOUT", 3.0)),
        read_timeout=float(values.get("STORAGE_READ_TIMEOUT", 30.0)),
    )


def s3_storage(
    bucket: str,
    *,
    endpoint_url: str | None = None,
    region: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
    prefix: str = "media",
    addressing_style: str = "auto",
    connect_timeout: float = 3.0,
    read_timeout: float = 30.0,
) -> dict:
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            # None: boto3's own chain (AWS_ACCESS_KEY_ID, an instance role, ~/.aws).
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "location": prefix,
            "default_acl": None,  # the bucket's own, which must be private
            "querystring_auth": True,
            "querystring_expire": 60,  # the X-Accel-Redirect address nginx follows at once
            "file_overwrite": False,
            # A store that is away answers within seconds, as an error the page can name.
            "client_config": Config(
                s3={"addressing_style": addressing_style},
                signature_version="s3v4",
                connect_timeout=connect_timeout,
                read_timeout=read_timeout,
                retries={"max_attempts": 2, "mode": "standard"},
            ),
        },
    }
