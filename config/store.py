"""The S3-compatible store's options for STORAGES (django-storages), from plain values: the
settings read them from the environment, the tests give their own."""

from botocore.config import Config


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
