"""Where evidence photos and issued PDFs live: a local folder (embedded default) or an S3/MinIO
bucket (production), behind one small ``ObjectStore`` contract.

Keys are content addresses (``evidence/<sha256>``): the same bytes are stored once, an object is
written once and never overwritten or deleted by the application.
"""

from storage.base import (
    ObjectExists,
    ObjectInfo,
    ObjectMissing,
    ObjectStore,
    StorageError,
    StoredObject,
    StoreUnavailable,
)
from storage.factory import StoreConfig, open_store

__all__ = [
    "ObjectExists",
    "ObjectInfo",
    "ObjectMissing",
    "ObjectStore",
    "StorageError",
    "StoreConfig",
    "StoreUnavailable",
    "StoredObject",
    "open_store",
]
