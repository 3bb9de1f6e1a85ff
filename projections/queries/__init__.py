"""What the screens ask of the read models, one module per read model asked: ``cases``,
``stats``, ``records`` (timeline, inspections, subjects, users), and ``features`` (cases and
inspections as GeoJSON, for the OGC API); the rows they answer with are in
``projections.rows``.

Sorting and filtering only by whitelisted columns; every value is a bound parameter. Columns are
always named (never ``SELECT *``): PostgreSQL refuses for good a prepared ``SELECT *`` whose
table changed shape under it.
"""

from __future__ import annotations

from projections.queries.cases import SORTS, CaseQueries
from projections.queries.features import Feature, FeaturePage, FeatureQueries, FeatureWindow
from projections.queries.records import RecordQueries
from projections.queries.stats import StatsQueries
from projections.rows import (
    CaseFilters,
    CaseInspection,
    CaseRow,
    DayTicket,
    InspectionLine,
    Kpi,
    NoticeRow,
    Page,
    SubjectRow,
    TimelineLine,
)

__all__ = [
    "SORTS",
    "CaseFilters",
    "CaseInspection",
    "CaseRow",
    "DayTicket",
    "Feature",
    "FeaturePage",
    "FeatureWindow",
    "InspectionLine",
    "Kpi",
    "NoticeRow",
    "Page",
    "ReadModels",
    "SubjectRow",
    "TimelineLine",
]


class ReadModels(CaseQueries, StatsQueries, RecordQueries, FeatureQueries):
    """Every question the screens ask, over one read store."""
