"""The officer's day: one list of the visits to make (follow-ups, dispatched reports, site
visits, campaign targets given to them on the brigade's roster, and the routine hygiene visits
due in the arrondissements they cover), each opening its form already filled; the phone orders
them by a route from where it is (``static/officer.js``) and keeps the list and its forms for
working offline (``static/sw.js``). What rolled over from an earlier day says so.

Visits planned before the roster existed (assigned cases, reports dispatched, site visits asked)
still come from their own read models, once, unless the roster has them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from police.app import PoliceApp
from police.errors import N_, NotFound
from police.roles import Actor, Brigade
from projections.queries import ReadModels
from projections.register_rows import RegisterRow
from projections.visit_rows import VisitRow
from web import i18n
from web.pages.site_visits import may_visit
from web.state import fresh_read_models, pages_of, police_of, read_models_of

_NO_VISIT = N_("Visite introuvable.")
ROUTINE_LIMIT = 10  # the most overdue: a day's share, the rest the days after
KIND_LABELS = {
    "follow_up": N_("Suivi"),
    "report": N_("Signalement"),
    "site_visit": N_("Visite sur place"),
    "campaign": N_("Campagne"),
    "routine": N_("Contrôle de routine"),
}


@dataclass(frozen=True)
class DayVisit:
    key: str
    kind: str
    brigade: str
    label: str
    place: str
    arrondissement: str
    lat: float | None
    lon: float | None
    due_on: date | None
    rolled_over: bool
    href: str
    note: str = ""


async def home(request: Request) -> Response:
    """My day: new-inspection buttons, the visits to make, my inspections of today."""
    actor: Actor = request.state.actor
    police = police_of(request)
    models = read_models_of(request)
    await fresh_read_models(request)  # just recorded something? show it
    today = police.today()
    visits = await run_in_threadpool(_visits, models, actor, today, may_visit(actor))
    context = {
        "brigades": [b for b in Brigade if actor.in_scope(b)],
        "today": await run_in_threadpool(models.officer_day, str(actor.id), today),
        "visits": visits,
        "done": [
            _planned(v)
            for v in await run_in_threadpool(models.visits_done_on, str(actor.id), today)
        ],
        "visit_kinds": KIND_LABELS,
        "current_day": today,
    }
    return pages_of(request).render(request, "officer/home.html", context)


def _visits(models: ReadModels, actor: Actor, today: date, site_visits: bool) -> list[DayVisit]:
    brigades = tuple(b.value for b in Brigade if actor.in_scope(b))
    planned = [_planned(v) for v in models.visits_for(str(actor.id), brigades, today)]
    earlier = _from_before_the_roster(models, actor, today, site_visits)
    known = models.planned_keys([v.key for v in earlier])
    covered = models.coverage(Brigade.HYGIENE.value).get(str(actor.id), [])
    routine: list[DayVisit] = []
    if covered and actor.in_scope(Brigade.HYGIENE):
        routine = [_routine(r, today) for r in models.routine_due(covered, today, ROUTINE_LIMIT)]
    return planned + [v for v in earlier if v.key not in known] + routine


def _planned(v: VisitRow) -> DayVisit:
    return DayVisit(
        key=v.visit,
        kind=v.kind,
        brigade=v.brigade,
        label=v.label,
        place=v.address,
        arrondissement=v.arrondissement,
        lat=v.lat,
        lon=v.lon,
        due_on=v.due_on,
        rolled_over=v.rolled_over,
        href=_href(v.kind, v.brigade, v.visit),
        note=v.note,
    )


def _href(kind: str, brigade: str, key: str) -> str:
    ref = key.split(":", 1)[1]
    if kind == "follow_up":
        return f"/officer/inspections/new/{brigade}?follow_up={ref}"
    if kind == "report":
        return f"/officer/inspections/new/{brigade}?report={ref}"
    if kind == "site_visit":
        return f"/officer/visits/{ref}"
    return f"/officer/inspections/new/{brigade}?visit={key}"


def _routine(row: RegisterRow, today: date) -> DayVisit:
    return DayVisit(
        key=f"routine:{row.subject_id}",
        kind="routine",
        brigade=Brigade.HYGIENE.value,
        label=row.label,
        place=row.address,
        arrondissement=row.arrondissement,
        lat=row.lat,
        lon=row.lon,
        due_on=date.fromisoformat(row.due_on) if row.due_on else None,
        rolled_over=False,  # due by the register, never given: late, not carried over
        note=row.activity,
        href=f"/officer/inspections/new/hygiene?visit=routine:{row.subject_id}",
    )


def _earlier_follow_up(c: Any, today: date) -> DayVisit:
    due = date.fromisoformat(c.follow_up_on) if c.follow_up_on else None
    return DayVisit(
        key=f"follow_up:{c.case_id}",
        kind="follow_up",
        brigade=c.brigade,
        label=f"{c.reference} · {c.subject_label}",
        place=c.address or "",
        arrondissement=c.arrondissement,
        lat=c.lat,
        lon=c.lon,
        due_on=due,
        rolled_over=bool(due and due < today),
        href=_href("follow_up", c.brigade, f"follow_up:{c.case_id}"),
    )


def _from_before_the_roster(
    models: ReadModels, actor: Actor, today: date, site_visits: bool
) -> list[DayVisit]:
    found = [_earlier_follow_up(c, today) for c in models.follow_ups_for(str(actor.id))]
    found += [
        DayVisit(
            key=f"report:{r.number}",
            kind="report",
            brigade=r.brigade,
            label=f"{r.number} · {r.description[:80]}",
            place=r.address,
            arrondissement=r.arrondissement,
            lat=r.lat,
            lon=r.lon,
            due_on=None,
            rolled_over=False,
            href=_href("report", r.brigade, f"report:{r.number}"),
            note=r.dispatch_note,
        )
        for r in models.report_visits(str(actor.id))
    ]
    if site_visits:
        found += [
            DayVisit(
                key=f"site_visit:{a.number}",
                kind="site_visit",
                brigade=Brigade.PUBLIC_DOMAIN.value,
                label=f"{a.number} · {a.holder_label}",
                place=a.address,
                arrondissement=a.arrondissement,
                lat=a.lat,
                lon=a.lon,
                due_on=None,
                rolled_over=False,
                href=_href("site_visit", "public_domain", f"site_visit:{a.number}"),
                note=a.visit_note,
            )
            for a in models.site_visits()
        ]
    return found


async def visit_values(request: Request, key: str, brigade: Brigade) -> dict[str, Any]:
    """The inspection form of a planned visit: a campaign target (an establishment or a permit
    to check) or a routine visit, with its subject and place, and the visit it ticks."""
    kind, _, rest = key.partition(":")
    models = read_models_of(request)
    police = police_of(request)
    if kind == "campaign":
        row = await run_in_threadpool(models.visit_row, key, police.today())
        if row is None or row.brigade != brigade or row.target is None:
            raise NotFound(_NO_VISIT)
        values: dict[str, Any] = {
            "visit": key,
            "visit_label": f"{row.label} — {row.note}" if row.note else row.label,
            "arrondissement": row.arrondissement,
            "address": row.address,
        }
        target_kind, _, ref = row.target.partition(":")
        if target_kind == "permit":
            return values | {"permit_number": ref}
        return await run_in_threadpool(_subject_values, police, ref) | values
    if kind == "routine" and brigade is Brigade.HYGIENE:
        values = await run_in_threadpool(_subject_values, police, rest)
        entry = await run_in_threadpool(models.register_row, rest)
        if entry is not None:  # where the register places it
            values |= {"arrondissement": entry.arrondissement, "address": entry.address}
        label = f"{values.get('trade_name', '')} · " + i18n.gettext_("Contrôle de routine")
        return values | {"visit": key, "visit_label": label}
    raise NotFound(_NO_VISIT)


def _subject_values(police: PoliceApp, subject_id: str) -> dict[str, Any]:
    try:
        subject = police.establishment(UUID(subject_id))
    except ValueError:
        subject = None
    if subject is None:
        raise NotFound(_NO_VISIT)
    place = subject.cases[-1]["place"] if subject.cases else {}
    return {
        "subject_kind": subject.kind,
        "trade_name": subject.label,
        **{k: v for k, v in subject.identifiers.items() if k in ("ice", "rc")},
        **{k: v for k, v in subject.details.items() if k in ("activity", "address")},
        "arrondissement": place.get("arrondissement", ""),
    }
