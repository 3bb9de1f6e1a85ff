"""Mutation testing of the rules that matter most, with cosmic-ray: how many deliberate small
faults in the rule code the tests that guard it catch, and which ones they miss.

Each target names the modules (or the functions, classes and module-level tables inside them)
to mutate and the tests that guard them: a small SQLite-only subset, stopped at the first
failure. A mutant is *killed* when those tests fail on it, *survives* when they pass, times out
past four times the unmutated run (counted as killed), or is *incompetent* when it could not
run at all.

Never the caller's tree: the files git knows here (tracked, and new ones not ignored) are
copied into a temporary folder, mutated and tested there with ``PYTHONPATH`` on the copy; one
copy per job.

Prints, per target: mutants, killed, survived, timeouts, incompetent and wall time; then every
survivor as file:line, operator and the unified diff of the mutant. Exits 0 with survivors: it
is a measurement, like the other benches, never part of ``bin/test``.

Run: .venv/bin/python -m bench.mutations [--target NAME ...] [--jobs N] [--list]
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import queue
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cosmic_ray.commands
import cosmic_ray.plugins
from cosmic_ray.mutating import mutate_and_test
from cosmic_ray.testing import run_tests
from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import (
    MutationSpec,
    TestOutcome,
    WorkerOutcome,
    WorkItem,
    WorkResult,
)

from bench.mutation_operators import PoliceOperators

ROOT = Path(__file__).resolve().parents[1]
MARKERS = "not postgres and not browser and not s3"

# Core operators left out, with why (README, "Mutation testing").
#
# A binary operator is replaced by its inverse or its nearest sibling only: + and -, * and /,
# / and //; on the role and status sets |, & and -. The other replacements are a TypeError on
# these operands (a power of two frozensets, a union of two Decimals), killed at import or at
# first use, or are subsumed by these.
_BINARY_PAIRS = {
    ("Add", "Sub"), ("Sub", "Add"), ("Mul", "Div"), ("Div", "Mul"), ("Div", "FloorDiv"),
    ("FloorDiv", "Div"), ("Mod", "FloorDiv"), ("Pow", "Mul"),
    ("BitOr", "BitAnd"), ("BitOr", "Sub"), ("BitAnd", "BitOr"), ("Sub", "BitOr"),
    ("BitXor", "BitOr"),
}  # fmt: skip
_BINARY = re.compile(r"core/ReplaceBinaryOperator_(\w+?)_(\w+)$")
# A comparison is replaced by the few others that subsume the rest (Kaminski, Ammann and
# Offutt, "Improving logic-based testing", 2013: tests killing these kill all seven). Equality
# only flips: an ordering of two UUIDs or two names is not a rule, and its outcome would
# change from run to run with random ids; equality for identity is what no one writes.
_COMPARISONS = {
    ("Lt", "LtE"), ("Lt", "NotEq"), ("LtE", "Lt"), ("LtE", "Eq"),
    ("Gt", "GtE"), ("Gt", "NotEq"), ("GtE", "Gt"), ("GtE", "Eq"),
    ("Eq", "NotEq"), ("NotEq", "Eq"), ("Is", "IsNot"), ("IsNot", "Is"),
}  # fmt: skip
_COMPARISON = re.compile(r"core/ReplaceComparisonOperator_(\w+?)_(\w+)$")


def operator_excluded(name: str) -> str | None:
    """Why the operator ``name`` is not run, or None."""
    if (found := _BINARY.match(name)) and found.groups() not in _BINARY_PAIRS:
        return "binary operator other than its inverse or sibling"
    if name == "core/AddNot":
        return "whole condition negated"
    if (found := _COMPARISON.match(name)) and found.groups() not in _COMPARISONS:
        return "comparison subsumed by another"
    return None


def _bare_star(lines: list[str], start: tuple[int, int]) -> bool:
    """The keyword-only marker of a signature (``def f(self, *, a)``), which cosmic-ray 8.7
    takes for a multiplication: its mutant is a syntax error."""
    line = lines[start[0] - 1]
    return line[start[1] : start[1] + 1] == "*" and line[start[1] + 1 :].lstrip()[:1] in ",)"


def _dataclass_flag(line: str, operator: str, start: tuple[int, int]) -> bool:
    """``@dataclass(frozen=True)`` or ``kw_only=True`` made ``False``: nothing assigns to these
    values, and code that did would fail the type check (mypy refuses an assignment to a frozen
    field) before any test ran; every construction names its fields. Either mutant only removes
    a guard no running code reaches."""
    before = line[: start[1]]
    return operator == "core/ReplaceTrueWithFalse" and before.endswith(("frozen=", "kw_only="))


@dataclass(frozen=True)
class Target:
    name: str
    about: str
    # path -> the top-level names ("ROUTES", "check_evidence", "Case", "Case._check") to
    # mutate in it; empty: the whole module.
    modules: dict[str, tuple[str, ...]]
    tests: tuple[str, ...]
    deselect: str = ""  # test ids containing this are not run (e.g. the S3 server's)
    skip_lines: tuple[str, ...] = ()  # source lines holding one of these are not mutated


def _t(path: str, *tests: str) -> tuple[str, ...]:
    return tuple(f"{path}::{t}" for t in tests) if tests else (path,)


TARGETS: tuple[Target, ...] = (
    Target(
        "routes",
        "which role may call which route; login and CSRF on every change",
        {
            "web/permissions.py": (),
            "web/routing.py": (
                "SAFE_METHODS",
                "route",
                "shows",
                "_journal",
                "current_actor",
                "_login_required",
            ),
            "web/csrf.py": ("csrf_token", "csrf_ok"),
        },
        (
            *_t("tests/web/test_routing.py"),
            *_t("tests/web/test_route_matrix.py"),
            *_t("tests/web/test_routes_table.py"),
            *_t(
                "tests/web/test_login.py",
                "test_pages_need_a_login",
                "test_the_phone_is_told_to_log_in_again_in_json",
                "test_login_without_the_form_token_is_refused",
                "test_a_deactivated_user_is_logged_out_at_the_next_page",
            ),
            *_t(
                "tests/web/test_officer_pages.py",
                "test_a_forged_token_is_refused_and_records_nothing",
            ),
        ),
    ),
    Target(
        "scope",
        "roles and brigade scope in the domain and on what ids point at",
        {
            "police/roles.py": ("parse_role", "parse_brigade", "Actor", "SYSTEM"),
            "police/aggregates/inspection.py": (
                "Inspection.may_attach_evidence",
                "Inspection.may_view",
            ),
            "web/pages/cases.py": ("visible_case", "available_actions", "_has_what_it_names"),
            "web/pages/evidence.py": ("_evidence",),
            "web/pages/officer.py": ("lookup",),
        },
        (
            *_t("tests/police/test_roles.py"),
            *_t(
                "tests/police/test_case_workflow.py",
                "test_validate_refusals",
                "test_an_admin_acts_in_every_brigade",
                "test_assign_to_an_officer_of_the_brigade",
            ),
            *_t(
                "tests/police/test_record_inspection.py",
                "test_only_officers_and_supervisors_of_the_brigade_record_inspections",
                "test_a_supervisor_may_record_an_inspection_of_their_brigade",
                "test_evidence_attached_later_by_the_officer",
            ),
            *_t("tests/police/test_users.py", "test_registration_refusals"),
            *_t(
                "tests/web/test_case_pages.py",
                "test_other_roles_and_brigades_cannot_read_or_act",
                "test_a_case_page_offers_only_the_legal_actions_and_shows_the_timeline",
                "test_a_clamped_vehicle_is_released_from_the_case_page_once_paid",
            ),
            *_t(
                "tests/web/test_legal_pages.py",
                "test_service_and_appeal_are_offered_once_a_notice_exists",
                "test_a_supervisor_cannot_issue_notices",
            ),
            *_t(
                "tests/web/test_officer_pages.py",
                "test_a_lookup_shows_only_the_officers_own_brigades_cases",
                "test_a_lookup_tells_a_foreign_plate_from_a_moroccan_one_written_alike",
                "test_a_lookup_of_what_is_no_plate_or_ice_says_why",
            ),
            *_t(
                "tests/web/test_evidence_photos.py",
                "test_photos_are_hidden_from_other_brigades_and_strangers",
            ),
            *_t(
                "tests/web/test_officer_pages.py",
                "test_the_receipt_is_only_shown_to_its_officer_and_supervisors",
            ),
            *_t("tests/web/test_route_matrix.py", "test_ids_of_another_brigade_lead_nowhere"),
        ),
    ),
    Target(
        "workflow",
        "the case workflow: which action from which status, for whom",
        {
            "police/workflow.py": (
                "OPEN",
                "ENDED",
                "_SUPERVISOR",
                "_FIELD",
                "_LEGAL",
                "_AFTER_VALIDATION",
                "_SANCTIONED",
                "_APPEALABLE",
                "RULES",
                "_N",
                "NOTICE_RULES",
                "rule_for",
                "legal_actions",
            ),
            "police/aggregates/case.py": (
                "Case.__init__",
                "Case.is_open",
                "Case.balance",
                "Case.pending_appeal",
                "Case.add_inspection",
                "Case._check",
                "Case._allowed",
                "Case._in_status",
                "Case.InspectionAdded",
                "Case.Validated",
                "Case.Dismissed",
                "Case.Assigned",
                "Case.FollowUpScheduled",
                "Case.ComplianceRecorded",
                "Case.Escalated",
                "Case.Closed",
                "Case.Reopened",
                "Case.NoticeIssued",
                "Case.ServiceRecorded",
                "Case.FineImposed",
                "Case.PaymentRecorded",
                "Case.AppealFiled",
                "Case.AppealDecided",
                "Case.VehicleReleased",
                "Case._end",
            ),
            "police/aggregates/case_supervision.py": ("Supervision",),
            "police/aggregates/case_follow_up.py": ("LegalFollowUp", "check_day", "money"),
            "police/app/cases.py": ("CaseCommands.change_case", "check_version"),
            "police/commands.py": (),
        },
        (
            *_t("tests/police/test_workflow.py"),
            *_t("tests/police/test_case_rules.py"),
            *_t("tests/police/test_case_workflow.py"),
            *_t("tests/police/test_legal_follow_up.py"),
            *_t("tests/police/test_case_refusals.py"),
            *_t(
                "tests/web/test_legal_pages.py",
                "test_two_lawyers_on_the_same_case_the_second_is_told_it_changed",
            ),
        ),
    ),
    Target(
        "numbering",
        "gap-free references per series and year, taken in the save that uses them",
        {
            "police/aggregates/counter.py": (),
            "police/app/numbering.py": (),
            "police/catalogue.py": ("_rules",),
            "police/app/inspections.py": ("InspectionCommands._record_opening",),
            "police/app/notices.py": ("NoticeCommands.issue_notice",),
        },
        (
            *_t("tests/police/test_numbering.py"),
            *_t(
                "tests/police/test_case_rules.py",
                "test_a_case_opened_is_due_for_compliance_within_its_findings_deadline",
            ),
            *_t(
                "tests/police/test_legal_follow_up.py",
                "test_a_repeat_offender_pays_the_catalogue_surcharge",
            ),
            *_t(
                "tests/police/test_record_inspection.py",
                "test_a_non_compliant_inspection_opens_a_case_in_one_save",
                "test_a_parking_inspection_issues_a_ticket_on_the_spot",
                "test_each_parking_ticket_is_its_own_case_with_the_next_number",
            ),
            *_t(
                "tests/police/test_concurrency.py",
                "test_cases_opened_at_once_get_distinct_consecutive_references",
            ),
            *_t(
                "tests/police/test_notices.py",
                "test_a_parking_tickets_avis_is_issued_with_it_by_its_officer_under_its_number",
                "test_a_reissue_says_which_notice_it_replaces",
                "test_a_notice_issued_from_a_stale_page_is_refused_and_takes_no_number",
                "test_a_reissued_ticket_avis_takes_the_next_number_of_its_series",
                "test_concurrent_issuing_gives_distinct_consecutive_numbers",
            ),
            *_t(
                "tests/police/test_catalogue.py",
                "test_parking_is_a_ticket_workflow_with_its_own_series",
                "test_ticketing_terms_go_with_the_ticket_workflow_only",
            ),
        ),
    ),
    Target(
        "recording",
        "idempotent recording: a replayed submission records nothing new",
        {
            "police/app/inspections.py": (
                "InspectionCommands.record_inspection",
                "InspectionCommands.attach_evidence",
                "InspectionCommands._replayed",
                "InspectionCommands._existing",
            ),
            "police/submission.py": ("InspectionSubmission.digest", "_plain"),
            "police/inspecting.py": ("CLOCK_AHEAD", "check_observed_at"),
            "police/aggregates/inspection.py": (
                "Inspection.create_id",
                "Inspection.has_evidence",
                "Inspection.attach_evidence",
            ),
        },
        (
            *_t("tests/police/test_recording.py"),
            *_t(
                "tests/police/test_record_inspection.py",
                "test_only_officers_and_supervisors_of_the_brigade_record_inspections",
            ),
            *_t(
                "tests/police/test_record_inspection.py",
                "test_a_replayed_submission_returns_the_first_receipt_and_records_nothing",
                "test_a_replay_sent_later_by_the_outbox_is_the_same_submission",
                "test_a_replay_carrying_a_photo_the_first_lacked_attaches_only_that_photo",
                "test_a_reused_submission_id_with_other_facts_is_a_conflict",
                "test_a_submission_id_that_names_another_record_is_refused",
                "test_evidence_is_attached_in_the_same_save",
                "test_evidence_attached_later_by_the_officer",
                "test_a_non_compliant_inspection_opens_a_case_in_one_save",
                "test_an_observation_in_the_future_is_refused_and_records_nothing",
                "test_a_phone_clock_a_few_minutes_ahead_is_accepted",
                "test_an_observation_older_than_72_hours_needs_a_late_entry_reason",
                "test_a_late_entry_keeps_its_reason_and_the_law_of_the_day_it_was_seen",
                "test_an_entry_within_72_hours_needs_no_reason_and_is_trusted",
                "test_a_replay_arriving_after_the_offline_window_returns_the_first_receipt",
                "test_the_limits_of_an_observation_time_to_the_second",
                "test_an_observation_time_without_its_time_zone_is_refused",
                "test_a_late_entry_reason_has_at_most_1000_characters",
            ),
            *_t(
                "tests/police/test_concurrency.py",
                "test_two_simultaneous_submissions_of_one_form_record_one_inspection",
            ),
            *_t(
                "tests/web/test_evidence_photos.py",
                "test_photo_is_stored_attached_and_served_to_its_officer",
                "test_a_refused_form_keeps_none_of_its_good_photos",
            ),
            *_t(
                "tests/web/test_officer_pages.py",
                "test_the_phone_gets_a_json_receipt_and_a_replay_records_nothing_new",
            ),
        ),
    ),
    Target(
        "evidence",
        "photos checked from their bytes, stored by content address, re-hashed by verify",
        {
            "storage/images.py": ("MAX_PIXELS", "CONTENT_TYPES", "inspect_image"),
            "storage/evidence.py": ("MAX_PHOTO_BYTES", "thumbnail_key", "store_photo"),
            "storage/base.py": ("content_key", "digest", "ObjectStore.sha256_of"),
            "police/evidence.py": ("store_photos", "check_evidence"),
            "web/photos.py": ("StoredPhotoIntake",),
            "police/verification.py": (),
        },
        (
            *_t("tests/police/test_evidence_checks.py"),
            *_t("tests/storage/test_photo_limits.py"),
            *_t("tests/storage/test_hashing.py"),
            *_t("tests/storage/test_photo_intake.py"),
            *_t("tests/storage/test_verify.py"),
            *_t("tests/storage/test_object_store.py"),
            *_t("tests/web/test_evidence_photos.py"),
            *_t(
                "tests/police/test_record_inspection.py",
                "test_evidence_is_attached_in_the_same_save",
                "test_evidence_attached_later_by_the_officer",
            ),
        ),
        deselect="s3",
        # The decode-scale hint for a JPEG: any scale decodes every block, so the verdict on
        # the photo is the same; only the time to reach it differs.
        skip_lines=("image.draft(",),
    ),
    Target(
        "escaping",
        "user text escaped in pages and notices, CSV cells defused",
        {
            "web/rendering.py": ("Pages.__init__", "Pages.error"),
            "police/notices/rendering.py": ("_environment",),
            "web/pages/cases.py": ("_FORMULA", "csv_cell"),
        },
        (
            *_t("tests/web/test_rendering.py"),
            *_t("tests/web/test_escaping.py"),
            *_t(
                "tests/web/test_case_pages.py",
                "test_csv_export_is_excel_friendly_and_defuses_formulas",
                "test_csv_export_defuses_every_formula_start_in_what_was_typed",
                "test_a_csv_cell_never_starts_a_formula",
                "test_refused_actions_say_why_and_record_nothing",
            ),
            *_t("tests/police/test_notices.py", "test_the_preview_escapes_what_users_typed"),
        ),
    ),
    Target(
        "projection",
        "each batch of events written with its tracked position in one transaction",
        {
            "projections/store.py": ("SQLiteReadStore",),
            "projections/runner.py": (
                "Projector.step",
                "Projector.migrate",
                "Projector.rebuild",
                "Projector._rebuild",
                "Projector._replay",
                "_stale",
                "_is_transient",
            ),
        },
        (
            *_t("tests/projections/test_exactly_once.py"),
            *_t("tests/projections/test_migration.py"),
            *_t("tests/projections/test_projector_steps.py"),
            *_t("tests/projections/test_overtaken.py"),
            *_t("tests/projections/test_resilience.py"),
            *_t(
                "tests/projections/test_read_models.py",
                "test_cases_timeline_subjects_stats_and_inspections_follow_the_log",
            ),
        ),
    ),
    Target(
        "lockout",
        "five failed logins in a row lock the account for 15 minutes; per-address throttle",
        {
            "police/aggregates/user.py": (
                "MAX_FAILED_LOGINS",
                "LOCK_OUT",
                "User.locked_until",
                "User.login_failed",
                "User.logged_in",
            ),
            "police/app/users.py": (
                "_minutes_until",
                "UserCommands.log_in",
                "UserCommands._save_login_failure",
            ),
            "web/throttle.py": (),
        },
        (
            *_t("tests/web/test_throttle.py"),
            *_t("tests/police/test_lockout.py"),
            *_t(
                "tests/police/test_users.py",
                "test_logging_in",
                "test_five_failures_in_a_row_lock_the_account_for_fifteen_minutes",
            ),
            *_t(
                "tests/web/test_login.py",
                "test_the_account_locks_after_five_failures",
                "test_too_many_failures_from_one_address_are_slowed_down",
                "test_a_wrong_password_is_refused_with_a_message",
                "test_a_refused_login_writes_only_the_failure",
            ),
        ),
    ),
)


# --- the copy ------------------------------------------------------------------------------


def copy_tree(into: Path) -> None:
    """The files git knows in this tree (tracked, and untracked ones not ignored), as they are
    on disk now."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in dict.fromkeys(listed.split("\0")):
        source = ROOT / name
        if not name or not source.is_file():
            continue  # deleted in the working tree
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    # Bytecode checked against each source's hash: unmutated modules load from it, a mutated
    # one (same size, same second) is never taken for its original.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "compileall",
            "-q",
            "--invalidation-mode",
            "checked-hash",
            str(into),
        ],
        check=True,
    )


# --- which mutants -------------------------------------------------------------------------


def _spans(tree: ast.Module, names: tuple[str, ...]) -> list[tuple[int, int]]:
    """Line spans of the named top-level definitions, class members and assignments."""
    found: dict[str, tuple[int, int]] = {}

    def add(name: str, node: ast.stmt) -> None:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        found[name] = (start, node.end_lineno or node.lineno)

    for node in tree.body:
        for name in _defined(node):
            add(name, node)
        if isinstance(node, ast.ClassDef):
            for member in node.body:
                for name in _defined(member):
                    add(f"{node.name}.{name}", member)
    missing = [n for n in names if n not in found]
    if missing:
        raise SystemExit(f"mutations: no top-level {missing} to mutate")
    return [found[n] for n in names]


def _defined(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.Assign):
        targets = [e for t in node.targets for e in (t.elts if isinstance(t, ast.Tuple) else [t])]
        return [t.id for t in targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def _annotations(tree: ast.Module) -> list[tuple[int, int, int, int]]:
    """Where the annotations are: with ``from __future__ import annotations`` they are never
    evaluated, so a mutant inside one is the original program."""
    spans = []
    for node in ast.walk(tree):
        notes: list[ast.expr | None] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            notes.append(node.returns)
        elif isinstance(node, ast.arg | ast.AnnAssign):
            notes.append(node.annotation)
        spans += [
            (n.lineno, n.col_offset, n.end_lineno or n.lineno, n.end_col_offset or 0)
            for n in notes
            if n is not None
        ]
    return spans


@dataclass
class Scope:
    lines: list[tuple[int, int]] | None  # None: the whole module
    annotations: list[tuple[int, int, int, int]]

    def covers(self, start: tuple[int, int], end: tuple[int, int]) -> bool:
        inside_annotation = any(
            (a, b) <= start and end <= (c, d) for a, b, c, d in self.annotations
        )
        if inside_annotation:
            return False
        return self.lines is None or any(a <= start[0] <= b for a, b in self.lines)


def scope_of(copy: Path, path: str, names: tuple[str, ...]) -> Scope:
    tree = ast.parse((copy / path).read_text(encoding="utf-8"))
    return Scope(_spans(tree, names) if names else None, _annotations(tree))


def plan(target: Target, copy: Path, db: WorkDB) -> Counter[str]:
    """Writes the target's mutants into the session; marks the ones left out as skipped and
    returns why, counted."""
    with contextlib.chdir(copy):
        cosmic_ray.commands.init([Path(p) for p in target.modules], db, {})
    scopes = {Path(p): scope_of(copy, p, names) for p, names in target.modules.items()}
    sources = {Path(p): (copy / p).read_text(encoding="utf-8").splitlines() for p in target.modules}
    left_out: Counter[str] = Counter()
    skipped: list[str] = []
    for item in db.pending_work_items:
        [mutation] = item.mutations
        why = operator_excluded(mutation.operator_name)
        if (
            why is None
            and "BinaryOperator" in mutation.operator_name
            and _bare_star(sources[mutation.module_path], mutation.start_pos)
        ):
            why = "keyword-only marker, not an operator"
        line = sources[mutation.module_path][mutation.start_pos[0] - 1]
        if why is None and _dataclass_flag(line, mutation.operator_name, mutation.start_pos):
            why = "a dataclass's frozen or kw_only flag (see _dataclass_flag)"
        if why is None and any(text in line for text in target.skip_lines):
            why = "a line the target says why it skips"
        if why is None and not scopes[mutation.module_path].covers(
            mutation.start_pos, mutation.end_pos
        ):
            why = "outside the rule code"
        if why is not None:
            left_out[why] += 1
            skipped.append(item.job_id)
    if skipped:
        db.set_multiple_results(
            skipped, WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output="left out")
        )
    return left_out


# --- running -------------------------------------------------------------------------------


def _in_copy(copy: Path) -> list[str]:
    return ["env", "-C", str(copy), f"PYTHONPATH={copy}", sys.executable]


@contextlib.contextmanager
def pytest_server(copy: Path) -> Iterator[Path]:
    """``bench.pytest_server`` serving ``copy``; stopped on exit."""
    socket_path = copy.parent / f"{copy.name}.sock"
    server = subprocess.Popen(
        [*_in_copy(copy), "-m", "bench.pytest_server", "serve", str(socket_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        if server.stdout.readline().strip() != "ready":
            raise SystemExit("mutations: the pytest server did not start")
        yield socket_path
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_command(target: Target, copy: Path, basetemp: Path) -> str:
    socket_path = copy.parent / f"{copy.name}.sock"
    return shlex.join(
        [
            *_in_copy(copy), "-m", "bench.pytest_server", "run", str(socket_path), "--",
            *target.tests,
            "-m", MARKERS, *(["-k", f"not {target.deselect}"] if target.deselect else []),
            "-x", "-q", "-p", "no:cacheprovider", f"--basetemp={basetemp}",
            # Hypothesis's plugin costs 2 s of start-up per mutant; no test here uses it.
            "-p", "no:hypothesispytest",
        ]
    )  # fmt: skip


@dataclass
class Outcome:
    target: str
    mutants: int = 0
    killed: int = 0
    survived: int = 0
    timeouts: int = 0
    incompetent: int = 0
    seconds: float = 0.0
    baseline: float = 0.0
    left_out: Counter[str] = field(default_factory=Counter)
    survivors: list[tuple[MutationSpec, str]] = field(default_factory=list)
    broken_baseline: str = ""


def run_target(target: Target, copies: list[Path], work: Path) -> Outcome:
    started = time.perf_counter()
    outcome = Outcome(target.name)
    with use_db(work / f"{target.name}.sqlite") as db:
        outcome.left_out = plan(target, copies[0], db)
        pending = list(db.pending_work_items)
        outcome.mutants = len(pending)
        command = test_command(target, copies[0], work / "tmp-0")
        test_outcome, output = run_tests(command, 1800)
        outcome.baseline = time.perf_counter() - started
        if test_outcome != TestOutcome.SURVIVED:
            outcome.broken_baseline = output[-3000:]
            return outcome
        timeout = max(30.0, 4 * outcome.baseline)
        for item, result in execute(target, pending, copies, work, timeout):
            db.set_result(item.job_id, result)
            tally(outcome, item, result)
            done = outcome.killed + outcome.survived + outcome.incompetent
            print(
                f"  {target.name}: {done}/{outcome.mutants} "
                f"({outcome.survived} survived) {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    outcome.seconds = time.perf_counter() - started
    return outcome


def execute(
    target: Target, items: list[WorkItem], copies: list[Path], work: Path, timeout: float
) -> Iterator[tuple[WorkItem, WorkResult]]:
    """Each job mutates and tests in its own copy; results come back in the order they end."""
    todo: queue.Queue[WorkItem] = queue.Queue()
    for item in items:
        todo.put(item)
    done: queue.Queue[tuple[WorkItem, WorkResult]] = queue.Queue()
    stopping = threading.Event()

    def job(n: int) -> None:
        copy = copies[n]
        command = test_command(target, copy, work / f"tmp-{n}")
        while not stopping.is_set():
            try:
                item = todo.get_nowait()
            except queue.Empty:
                return
            [m] = item.mutations
            here = MutationSpec(
                copy / m.module_path, m.operator_name, m.occurrence, m.start_pos, m.end_pos,
                m.operator_args, m.definition_name,
            )  # fmt: skip
            assert here.module_path.resolve().is_relative_to(work.resolve())
            done.put((item, mutate_and_test([here], command, timeout)))

    threads = [threading.Thread(target=job, args=(n,), daemon=True) for n in range(len(copies))]
    for t in threads:
        t.start()
    try:
        for _ in items:
            while True:
                try:
                    yield done.get(timeout=0.5)  # a timeout, so that Ctrl-C is heard
                    break
                except queue.Empty:
                    continue
    finally:
        stopping.set()  # each job ends its mutant (restoring its copy) and takes no other
        for t in threads:
            t.join()


def tally(outcome: Outcome, item: WorkItem, result: WorkResult) -> None:
    [m] = item.mutations
    if result.worker_outcome == WorkerOutcome.NO_TEST:
        outcome.mutants -= 1  # the operator found nothing to change there
    elif result.test_outcome == TestOutcome.SURVIVED:
        outcome.survived += 1
        outcome.survivors.append((m, result.diff or ""))
    elif result.test_outcome == TestOutcome.KILLED:
        outcome.killed += 1
        outcome.timeouts += result.output == "timeout"
    else:
        outcome.incompetent += 1


# --- reporting -----------------------------------------------------------------------------


def print_list(targets: list[Target], copy: Path, work: Path) -> None:
    for target in targets:
        with use_db(work / f"list-{target.name}.sqlite") as db:
            left_out = plan(target, copy, db)
            per_operator = Counter(i.mutations[0].operator_name for i in db.pending_work_items)
            per_module = Counter(str(i.mutations[0].module_path) for i in db.pending_work_items)
        print(f"\n{target.name}: {target.about}; {sum(per_operator.values())} mutants")
        for path, names in target.modules.items():
            print(f"  {path} ({per_module[path]}): {', '.join(names) or 'whole module'}")
        for name, n in per_operator.most_common():
            print(f"    {n:4d} {name}")
        for why, n in left_out.items():
            print(f"  left out: {n} ({why})")
        print("  tests:", " ".join(target.tests))


def summary_line(o: Outcome) -> str:
    return (
        f"{o.target:<14}{o.mutants:>8}{o.killed:>8}{o.survived:>9}{o.timeouts:>9}"
        f"{o.incompetent:>12}{o.baseline:>9.1f}s{o.seconds / 60:>8.1f}m"
    )


def report(outcomes: list[Outcome], copies: list[Path]) -> None:
    print(f"\n{'target':<14}{'mutants':>8}{'killed':>8}{'survived':>9}{'timeouts':>9}"
          f"{'incompetent':>12}{'baseline':>10}{'wall':>9}")  # fmt: skip
    for o in outcomes:
        print(summary_line(o))
    total = sum(o.seconds for o in outcomes)
    print(f"total wall time {total / 60:.1f} min")
    for o in outcomes:
        if o.broken_baseline:
            print(f"\n{o.target}: the tests fail on the unmutated code:\n{o.broken_baseline}")
    for o in outcomes:
        for m, diff in o.survivors:
            where = f"{m.module_path}:{m.start_pos[0]}"
            print(f"\n--- survivor: {where} {m.operator_name} [{o.target}]")
            print(_relative(diff, copies))


def _relative(diff: str, copies: list[Path]) -> str:
    lines = [line for line in diff.splitlines() if line != "--- mutation diff ---"]
    text = "\n".join(lines)
    for copy in copies:
        text = text.replace(f"{copy}/", "")
    return text


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # as Ctrl-C: each job restores its copy, the folder is removed


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    names = [t.name for t in TARGETS]
    parser.add_argument("--target", action="append", choices=names, help="default: all")
    parser.add_argument("--jobs", type=int, default=1, help="copies tested at once")
    parser.add_argument("--list", action="store_true", help="the mutants each target makes")
    args = parser.parse_args()
    targets = [t for t in TARGETS if not args.target or t.name in args.target]
    cosmic_ray.plugins.OPERATOR_PROVIDERS["police"] = PoliceOperators()
    work = Path(tempfile.mkdtemp(prefix="police-mutations-"))
    try:
        copies = [work / f"copy-{n}" for n in range(1 if args.list else max(1, args.jobs))]
        for copy in copies:
            copy_tree(copy)
        if args.list:
            print_list(targets, copies[0], work)
            return
        outcomes = []
        with contextlib.ExitStack() as servers:
            for copy in copies:
                servers.enter_context(pytest_server(copy))
            for target in targets:
                print(f"{target.name}: {target.about}", file=sys.stderr, flush=True)
                outcomes.append(run_target(target, copies, work))
                # Each target's figures as soon as it ends, to stderr (a long run may be cut).
                print(f"  {summary_line(outcomes[-1])}", file=sys.stderr, flush=True)
        report(outcomes, copies)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
