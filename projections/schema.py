"""The read models and their tables. Portable SQL (SQLite and PostgreSQL): ids and times as TEXT
(ISO 8601 sorts as time does), money as integer centimes, flags as 0/1.

Each read model (``projections.models``) declares its tables and the schema version they are
built with; ``rm_versions`` records, per read model, the version its tables were last built
with. ``police project --rebuild NAME`` drops and rebuilds one read model.
"""

from __future__ import annotations

from projections.models import ReadModel
from projections.models.applications import Applications
from projections.models.cases import Cases
from projections.models.citations import Citations
from projections.models.inspections import Inspections
from projections.models.permits import Permits
from projections.models.planning import Planning
from projections.models.register import Register
from projections.models.reports import Reports
from projections.models.stats import Stats
from projections.models.subjects import Subjects
from projections.models.timeline import Timeline
from projections.models.users import Users

MODELS: tuple[type[ReadModel], ...] = (
    Users,
    Cases,
    Timeline,
    Subjects,
    Stats,
    Inspections,
    Permits,
    Applications,
    Reports,
    Planning,
    Register,
    Citations,
)
BY_NAME: dict[str, type[ReadModel]] = {model.name: model for model in MODELS}
PROJECTIONS = tuple(BY_NAME)

VERSIONS_TABLE = """
    CREATE TABLE IF NOT EXISTS rm_versions (
        read_model TEXT PRIMARY KEY,
        version INTEGER NOT NULL
    )"""


def declared_versions() -> dict[str, int]:
    """The schema version of each read model, as this code declares it."""
    return {model.name: model.version for model in MODELS}


def create_statements(names: tuple[str, ...] = PROJECTIONS) -> list[str]:
    """Tables and indexes of ``names``."""
    return [sql for name in names for sql in BY_NAME[name].tables.values()]


def table_statements(names: tuple[str, ...] = PROJECTIONS) -> list[str]:
    """Only the tables: what an older database may already hold in another shape (an index on
    a column its tables lack yet would fail); the indexes come with each read model's build."""
    return [sql for sql in create_statements(names) if "CREATE TABLE" in sql]


def table_names(name: str) -> list[str]:
    return [t for t, sql in BY_NAME[name].tables.items() if "CREATE TABLE" in sql]
