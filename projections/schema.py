"""The read-model tables. Portable SQL (SQLite and PostgreSQL): ids and times as TEXT (ISO 8601
sorts as time does), money as integer centimes, flags as 0/1.

Tables are grouped by projection; ``police project --rebuild NAME`` drops and rebuilds a group.
"""

from __future__ import annotations

TABLES: dict[str, dict[str, str]] = {
    "users": {
        "rm_users": """
            CREATE TABLE IF NOT EXISTS rm_users (
                user_id TEXT PRIMARY KEY,
                username TEXT NOT NULL,
                full_name TEXT NOT NULL,
                roles TEXT NOT NULL DEFAULT '',
                brigades TEXT NOT NULL DEFAULT '',
                active INTEGER NOT NULL DEFAULT 1
            )""",
    },
    "cases": {
        "rm_cases": """
            CREATE TABLE IF NOT EXISTS rm_cases (
                case_id TEXT PRIMARY KEY,
                reference TEXT NOT NULL,
                brigade TEXT NOT NULL,
                workflow TEXT NOT NULL,
                status TEXT NOT NULL,
                is_open INTEGER NOT NULL,
                subject_id TEXT NOT NULL,
                subject_kind TEXT NOT NULL,
                subject_label TEXT NOT NULL,
                subject_key TEXT NOT NULL,
                arrondissement TEXT NOT NULL,
                address TEXT NOT NULL,
                lat DOUBLE PRECISION,
                lon DOUBLE PRECISION,
                opened_at TEXT NOT NULL,
                opened_on TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                closed_at TEXT,
                opened_by TEXT NOT NULL,
                assignee_id TEXT,
                follow_up_on TEXT,
                deadline TEXT,
                ticket_number TEXT,
                fine_due_cents BIGINT NOT NULL,
                fine_paid_cents BIGINT NOT NULL,
                inspections INTEGER NOT NULL,
                photos INTEGER NOT NULL,
                notices INTEGER NOT NULL,
                search TEXT NOT NULL
            )""",
        "rm_case_inspections": """
            CREATE TABLE IF NOT EXISTS rm_case_inspections (
                inspection_id TEXT PRIMARY KEY,
                case_id TEXT,
                subject_kind TEXT NOT NULL,
                subject_key TEXT NOT NULL,
                search TEXT NOT NULL,
                photos INTEGER NOT NULL
            )""",
        "rm_case_inspections_case": "CREATE INDEX IF NOT EXISTS rm_case_inspections_case "
        "ON rm_case_inspections (case_id)",
        "rm_notices": """
            CREATE TABLE IF NOT EXISTS rm_notices (
                number TEXT PRIMARY KEY,
                case_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                issued_on TEXT NOT NULL,
                deadline TEXT,
                object_key TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                size BIGINT NOT NULL,
                replaces TEXT,
                replaced_by TEXT,
                served_on TEXT
            )""",
        "rm_notices_case": "CREATE INDEX IF NOT EXISTS rm_notices_case ON rm_notices (case_id)",
        "rm_cases_brigade": "CREATE INDEX IF NOT EXISTS rm_cases_brigade "
        "ON rm_cases (brigade, opened_at, case_id)",
        "rm_cases_status": "CREATE INDEX IF NOT EXISTS rm_cases_status "
        "ON rm_cases (status, brigade, opened_at, case_id)",
        "rm_cases_arrondissement": "CREATE INDEX IF NOT EXISTS rm_cases_arrondissement "
        "ON rm_cases (arrondissement, brigade, opened_at, case_id)",
        "rm_cases_assignee": "CREATE INDEX IF NOT EXISTS rm_cases_assignee "
        "ON rm_cases (assignee_id, is_open)",
        "rm_cases_deadline": "CREATE INDEX IF NOT EXISTS rm_cases_deadline "
        "ON rm_cases (is_open, deadline)",
        "rm_cases_day": "CREATE INDEX IF NOT EXISTS rm_cases_day ON rm_cases (opened_on, workflow)",
        "rm_cases_opened": "CREATE INDEX IF NOT EXISTS rm_cases_opened "
        "ON rm_cases (opened_at, case_id)",
        "rm_cases_updated": "CREATE INDEX IF NOT EXISTS rm_cases_updated ON rm_cases (updated_at)",
        "rm_cases_reference": "CREATE INDEX IF NOT EXISTS rm_cases_reference "
        "ON rm_cases (reference)",
        "rm_cases_subject": "CREATE INDEX IF NOT EXISTS rm_cases_subject "
        "ON rm_cases (subject_id, opened_at)",
        "rm_cases_key": "CREATE INDEX IF NOT EXISTS rm_cases_key ON rm_cases (subject_key)",
    },
    "timeline": {
        "rm_timeline": """
            CREATE TABLE IF NOT EXISTS rm_timeline (
                case_id TEXT NOT NULL,
                position BIGINT NOT NULL,
                version INTEGER NOT NULL,
                at TEXT NOT NULL,
                actor_id TEXT,
                kind TEXT NOT NULL,
                params TEXT NOT NULL,
                text_fr TEXT NOT NULL,
                PRIMARY KEY (case_id, position)
            )""",
    },
    "subjects": {
        "rm_subjects": """
            CREATE TABLE IF NOT EXISTS rm_subjects (
                subject_id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                subject_key TEXT NOT NULL,
                label TEXT NOT NULL,
                cases INTEGER NOT NULL,
                brigades TEXT NOT NULL,
                last_case_on TEXT
            )""",
        "rm_subjects_cases": "CREATE INDEX IF NOT EXISTS rm_subjects_cases ON rm_subjects (cases)",
    },
    "stats": {
        "rm_daily": """
            CREATE TABLE IF NOT EXISTS rm_daily (
                day TEXT NOT NULL,
                brigade TEXT NOT NULL,
                arrondissement TEXT NOT NULL,
                inspections INTEGER NOT NULL DEFAULT 0,
                opened INTEGER NOT NULL DEFAULT 0,
                resolved INTEGER NOT NULL DEFAULT 0,
                resolution_days INTEGER NOT NULL DEFAULT 0,
                fines_imposed_cents BIGINT NOT NULL DEFAULT 0,
                fines_collected_cents BIGINT NOT NULL DEFAULT 0,
                PRIMARY KEY (day, brigade, arrondissement)
            )""",
        "rm_status_counts": """
            CREATE TABLE IF NOT EXISTS rm_status_counts (
                brigade TEXT NOT NULL,
                arrondissement TEXT NOT NULL,
                status TEXT NOT NULL,
                cases INTEGER NOT NULL,
                PRIMARY KEY (brigade, arrondissement, status)
            )""",
    },
    "inspections": {
        "rm_inspections": """
            CREATE TABLE IF NOT EXISTS rm_inspections (
                inspection_id TEXT PRIMARY KEY,
                officer_id TEXT NOT NULL,
                brigade TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                recorded_on TEXT NOT NULL,
                observed_at TEXT NOT NULL,
                case_id TEXT,
                subject_label TEXT NOT NULL,
                arrondissement TEXT NOT NULL,
                address TEXT NOT NULL,
                compliant INTEGER NOT NULL,
                follow_up INTEGER NOT NULL,
                photos INTEGER NOT NULL
            )""",
        "rm_evidence": """
            CREATE TABLE IF NOT EXISTS rm_evidence (
                inspection_id TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                content_type TEXT NOT NULL,
                captured_at TEXT,
                position BIGINT NOT NULL,
                PRIMARY KEY (inspection_id, sha256)
            )""",
        "rm_inspections_officer": "CREATE INDEX IF NOT EXISTS rm_inspections_officer "
        "ON rm_inspections (officer_id, recorded_on)",
        "rm_inspections_case": "CREATE INDEX IF NOT EXISTS rm_inspections_case "
        "ON rm_inspections (case_id)",
    },
}

# What a group's rows are derived from: rebuilding "timeline" needs the names in "users".
PROJECTIONS = tuple(TABLES)


def create_statements(names: tuple[str, ...] = PROJECTIONS) -> list[str]:
    return [sql for name in names for sql in TABLES[name].values()]


def table_names(name: str) -> list[str]:
    return [t for t, sql in TABLES[name].items() if "CREATE TABLE" in sql]
