"""Fault tests use the web tests' application and staff on each event store."""

from tests.web.conftest import police, staff

__all__ = ["police", "staff"]
