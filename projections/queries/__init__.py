"""What the screens ask of the read models, one module per read model asked: ``cases``,
``stats``, ``records`` (timeline, inspections, subjects, users), ``maps`` (the maps' layers
beyond the cases' export), ``permits`` (the registry), ``applications``, ``reports``,
``register`` (the establishments' risk and routine visits), ``features`` (GeoJSON for the
OGC API), ``citations`` (the catalogue entries cited) and ``team`` (the officers' loads); the
rows they answer with are in ``projections.rows``.
"""

from __future__ import annotations

from projections.queries.accounts import AccountQueries, AccountRow
from projections.queries.applications import ApplicationQueries
from projections.queries.cases import SORTS, CaseQueries
from projections.queries.citations import CitationQueries
from projections.queries.features import Feature, FeaturePage, FeatureQueries, FeatureWindow
from projections.queries.maps import MapQueries
from projections.queries.permits import PermitQueries
from projections.queries.planning import PlanningQueries
from projections.queries.records import RecordQueries
from projections.queries.register import RegisterQueries
from projections.queries.reports import ReportQueries
from projections.queries.stats import StatsQueries
from projections.queries.team import TeamQueries
from projections.register_rows import Coverage, RegisterFilters, RegisterPage, RegisterRow
from projections.rows import (
    ApplicationKpi,
    ApplicationRow,
    CaseFilters,
    CaseInspection,
    CaseRow,
    DayTicket,
    InspectionLine,
    Kpi,
    NoticeRow,
    Page,
    PermitFilters,
    PermitPage,
    PermitRow,
    ReportKpi,
    ReportRow,
    SubjectRow,
    TimelineLine,
)
from projections.visit_rows import TeamMember

__all__ = [
    "SORTS",
    "AccountRow",
    "ApplicationKpi",
    "ApplicationRow",
    "CaseFilters",
    "CaseInspection",
    "CaseRow",
    "Coverage",
    "DayTicket",
    "Feature",
    "FeaturePage",
    "FeatureWindow",
    "InspectionLine",
    "Kpi",
    "NoticeRow",
    "Page",
    "PermitFilters",
    "PermitPage",
    "PermitRow",
    "ReadModels",
    "RegisterFilters",
    "RegisterPage",
    "RegisterRow",
    "ReportKpi",
    "ReportRow",
    "SubjectRow",
    "TeamMember",
    "TimelineLine",
]


class ReadModels(
    AccountQueries,
    PlanningQueries,
    CaseQueries,
    StatsQueries,
    RecordQueries,
    MapQueries,
    PermitQueries,
    ApplicationQueries,
    ReportQueries,
    RegisterQueries,
    FeatureQueries,
    CitationQueries,
    TeamQueries,
):
    """Every question the screens ask, over one read store."""
