"""`S3RecordingStore`: finished recordings as objects in one bucket of an S3-compatible
service (AWS S3, SeaweedFS, MinIO, Garage...), through aiobotocore on the event loop
(decision 54). Path-style addressing, so a bucket needs no DNS name of its own.

Uploads stream from disk: a file up to `part_size` goes in one PUT, a larger one as a
multipart upload of `part_size` parts read one at a time in a thread (memory: one part),
aborted on failure so no half object is ever visible. Downloads are ranged GETs read in
`chunk_size` pieces, or presigned GET URLs the browser follows itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession, get_session
from botocore.exceptions import BotoCoreError, ClientError

from rapat.recording.download_name import attachment_disposition
from rapat.recording.store import (
    ObjectMissing,
    RecordingStoreError,
    StoredObject,
    check_key,
    check_range,
)

if TYPE_CHECKING:
    from types_aiobotocore_s3 import S3Client
    from types_aiobotocore_s3.type_defs import CompletedPartTypeDef

MIB = 1024 * 1024
MIN_PART_SIZE = 5 * MIB  # S3's smallest part (all but the last)
MAX_PARTS = 10_000  # S3's most parts in one upload
MAX_PRESIGN_SECONDS = 7 * 24 * 3600  # the longest a SigV4 URL may live
MAX_DELETE_BATCH = 1000  # S3's most keys in one listing page and one DeleteObjects
_MISSING = frozenset({"404", "NoSuchKey", "NotFound"})
_NO_BUCKET = frozenset({"404", "NoSuchBucket", "NotFound"})


@dataclass(frozen=True, slots=True)
class S3Options:
    endpoint_url: str
    bucket: str
    region: str = "us-east-1"
    # None: botocore's own chain (AWS_* variables, the instance's role).
    access_key: str | None = None
    secret_key: str | None = field(default=None, repr=False)
    # Presigned URLs are made for this address (what browsers reach) when the server
    # reaches the store at another one; the signature covers the host.
    public_endpoint_url: str | None = None
    create_bucket: bool = False
    presign: bool = True  # False: downloads stream through the API
    presign_expires_in: int = 300
    part_size: int = 8 * MIB
    chunk_size: int = 256 * 1024
    delete_batch: int = MAX_DELETE_BATCH  # keys listed, then deleted, at a time
    connect_timeout: float = 5.0
    read_timeout: float = 60.0
    max_attempts: int = 3  # per request, with botocore's backoff between them

    def __post_init__(self) -> None:
        if self.part_size < MIN_PART_SIZE:
            raise ValueError(f"part_size must be at least {MIN_PART_SIZE} bytes (S3's minimum)")
        if not 1 <= self.presign_expires_in <= MAX_PRESIGN_SECONDS:
            raise ValueError(f"presign_expires_in must be 1-{MAX_PRESIGN_SECONDS} seconds")
        if self.chunk_size <= 0:
            raise ValueError("chunk_size must be positive")
        if not 1 <= self.delete_batch <= MAX_DELETE_BATCH:
            raise ValueError(f"delete_batch must be 1-{MAX_DELETE_BATCH}")


class S3RecordingStore:
    def __init__(self, options: S3Options) -> None:
        self._options = options
        self._stack = contextlib.AsyncExitStack()
        self._clients: dict[str, S3Client] = {}
        self._opening = asyncio.Lock()
        self._bucket_ready = False
        self._closed = False

    @property
    def bucket(self) -> str:
        return self._options.bucket

    async def put_file(self, key: str, source: Path, content_type: str) -> StoredObject:
        check_key(key)
        size = (await asyncio.to_thread(source.stat)).st_size
        if self._options.create_bucket and not self._bucket_ready:
            await self.check()
        with _failures("store", key):
            if size <= self._options.part_size:
                body = await asyncio.to_thread(source.read_bytes)
                client = await self._client()
                await client.put_object(
                    Bucket=self.bucket, Key=key, Body=body, ContentType=content_type
                )
                return StoredObject(key, len(body))
            return StoredObject(key, await self._put_parts(key, source, size, content_type))

    async def stat(self, key: str) -> StoredObject | None:
        check_key(key)
        client = await self._client()
        with _failures("read", key):
            try:
                head = await client.head_object(Bucket=self.bucket, Key=key)
            except ClientError as error:
                if _code(error) in _MISSING:
                    return None
                raise
        return StoredObject(key, head["ContentLength"])

    async def read_range(self, key: str, start: int, end: int) -> AsyncIterator[bytes]:
        check_key(key)
        check_range(start, end)
        client = await self._client()
        with _failures("read", key):
            try:
                answer = await client.get_object(
                    Bucket=self.bucket, Key=key, Range=f"bytes={start}-{end}"
                )
            except ClientError as error:
                if _code(error) in _MISSING:
                    raise ObjectMissing(key) from None
                if _code(error) in {"InvalidRange", "416"}:
                    return  # starts past the end: nothing to read
                raise
            async with answer["Body"] as body:
                async for chunk in body.iter_chunks(self._options.chunk_size):
                    yield chunk

    async def delete(self, key: str) -> None:
        check_key(key)
        client = await self._client()
        with _failures("delete", key):
            await client.delete_object(Bucket=self.bucket, Key=key)

    async def delete_prefix(self, prefix: str) -> int:
        check_key(prefix, what="prefix")
        client = await self._client()
        deleted = 0
        with _failures("delete under", prefix):
            pages = client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket,
                Prefix=prefix + "/",
                PaginationConfig={"PageSize": self._options.delete_batch},
            )
            async for page in pages:
                keys = [item["Key"] for item in page.get("Contents", [])]
                if keys:
                    deleted += await self._delete_batch(client, keys)
        return deleted

    async def presigned_url(
        self, key: str, download_filename: str | None = None, expires_in: int | None = None
    ) -> str | None:
        check_key(key)
        if not self._options.presign:
            return None
        seconds = self._options.presign_expires_in if expires_in is None else expires_in
        if not 1 <= seconds <= MAX_PRESIGN_SECONDS:
            raise ValueError(f"expires_in must be 1-{MAX_PRESIGN_SECONDS} seconds")
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": key}
        if download_filename is not None:
            params["ResponseContentDisposition"] = attachment_disposition(download_filename)
        client = await self._client(self._options.public_endpoint_url)
        with _failures("sign a URL for", key):
            url: str = await client.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=seconds
            )
        return url

    async def check(self) -> None:
        """The bucket answers to our credentials; made first when `create_bucket` is set."""
        client = await self._client()
        with _failures("reach bucket", self.bucket):
            try:
                await client.head_bucket(Bucket=self.bucket)
            except ClientError as error:
                if _code(error) not in _NO_BUCKET:
                    raise
                if not self._options.create_bucket:
                    raise RecordingStoreError(
                        f"bucket {self.bucket!r} does not exist at "
                        f"{self._options.endpoint_url} (create it, or let Rapat create it)"
                    ) from None
                await self._create_bucket(client)
        self._bucket_ready = True

    async def close(self) -> None:
        self._closed = True
        self._clients.clear()
        await self._stack.aclose()

    async def _client(self, endpoint_url: str | None = None) -> S3Client:
        """One client per address, opened on first use (it binds the running loop)."""
        endpoint = endpoint_url or self._options.endpoint_url
        async with self._opening:
            if self._closed:
                raise RecordingStoreError("the recording store is closed")
            if endpoint not in self._clients:
                options = self._options
                creator = _session().create_client(
                    "s3",
                    endpoint_url=endpoint,
                    region_name=options.region,
                    aws_access_key_id=options.access_key,
                    aws_secret_access_key=options.secret_key,
                    config=_client_config(options),
                )
                self._clients[endpoint] = await self._stack.enter_async_context(creator)
            return self._clients[endpoint]

    async def _create_bucket(self, client: S3Client) -> None:
        try:
            if self._options.region == "us-east-1":
                await client.create_bucket(Bucket=self.bucket)
            else:
                await client.create_bucket(
                    Bucket=self.bucket,
                    # S3-compatible services name regions of their own, beyond AWS's list.
                    CreateBucketConfiguration={"LocationConstraint": self._options.region},  # type: ignore[typeddict-item]
                )
        except ClientError as error:
            if _code(error) not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                raise

    async def _put_parts(self, key: str, source: Path, size: int, content_type: str) -> int:
        """A multipart upload, one part in memory at a time; aborted if anything fails."""
        part_size = max(self._options.part_size, -(-size // MAX_PARTS))
        client = await self._client()
        upload = await client.create_multipart_upload(
            Bucket=self.bucket, Key=key, ContentType=content_type
        )
        upload_id = upload["UploadId"]
        parts: list[CompletedPartTypeDef] = []
        written = 0
        try:
            file: IO[bytes] = await asyncio.to_thread(source.open, "rb")
            try:
                while chunk := await asyncio.to_thread(file.read, part_size):
                    number = len(parts) + 1
                    answer = await client.upload_part(
                        Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumber=number,
                        Body=chunk,
                    )  # fmt: skip
                    parts.append({"ETag": answer["ETag"], "PartNumber": number})
                    written += len(chunk)
            finally:
                await asyncio.to_thread(file.close)
            await client.complete_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload_id,
                MultipartUpload={"Parts": parts},
            )  # fmt: skip
        except BaseException:
            with contextlib.suppress(Exception):
                await client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
            raise
        return written

    async def _delete_batch(self, client: S3Client, keys: list[str]) -> int:
        answer = await client.delete_objects(
            Bucket=self.bucket,
            Delete={"Objects": [{"Key": key} for key in keys], "Quiet": True},
        )
        errors = answer.get("Errors", [])
        if errors:
            first = errors[0]
            raise RecordingStoreError(
                f"could not delete {len(errors)} of {len(keys)} objects, e.g. "
                f"{first.get('Key')!r}: {first.get('Code')} {first.get('Message')}"
            )
        return len(keys)


@functools.cache
def _session() -> AioSession:
    """One botocore session for the process: each loads the S3 service model (~0.2 s), and
    clients made from one share it. It holds no connection, so it is not bound to a loop."""
    return get_session()


def _client_config(options: S3Options) -> AioConfig:
    return AioConfig(
        s3={"addressing_style": "path"},
        signature_version="s3v4",
        connect_timeout=options.connect_timeout,
        read_timeout=options.read_timeout,
        retries={"max_attempts": options.max_attempts, "mode": "standard"},
        # Checksums only where S3 requires them: many S3-compatible servers refuse or
        # mishandle the CRC trailers botocore sends by default since 1.36.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


@contextlib.contextmanager
def _failures(action: str, key: str) -> Iterator[None]:
    """The client's errors as `RecordingStoreError`, naming what failed and why."""
    try:
        yield
    except ClientError as error:
        message = error.response.get("Error", {}).get("Message", "")
        raise RecordingStoreError(
            f"could not {action} {key!r}: {_code(error)} {message}".rstrip()
        ) from error
    except (BotoCoreError, OSError) as error:
        raise RecordingStoreError(f"could not {action} {key!r}: {error}") from error
