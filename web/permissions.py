"""Who may call which route: one declared table, enforced in one place (``web.routing``).

Every route name must appear here; a route missing from the table stops the app at start-up.
Brigade scope (which cases, which photos) is checked by the domain and the read queries, on
top of the role checked here.
"""

from __future__ import annotations

from police.roles import Role

PUBLIC = frozenset[Role]()  # no login needed
ANY_USER = frozenset(Role)  # any logged-in user
FIELD = frozenset({Role.OFFICER, Role.SUPERVISOR})
CASE_READERS = frozenset({Role.SUPERVISOR, Role.LEGAL})
LEGAL_STAFF = frozenset({Role.LEGAL})

ROUTES: dict[str, frozenset[Role]] = {
    "health": PUBLIC,
    "ready": PUBLIC,  # reports which dependency is down, nothing about cases
    "metrics": PUBLIC,  # counts only; keep it off the public proxy (README)
    "login": PUBLIC,
    "login.submit": PUBLIC,
    "language": PUBLIC,
    "service_worker": PUBLIC,
    "logout": ANY_USER,
    "home": ANY_USER,
    "csrf": ANY_USER,
    "officer.home": FIELD,
    "officer.new": FIELD,
    "officer.submit": FIELD,
    "officer.receipt": FIELD,
    "officer.lookup": FIELD,
    "cases.list": CASE_READERS,
    "cases.show": CASE_READERS,
    "cases.export_csv": CASE_READERS,
    "cases.export_geojson": CASE_READERS,
    "cases.overview": CASE_READERS,
    "cases.act": CASE_READERS,  # each action's own role is checked by the domain
    "notices.preview": CASE_READERS,  # issuing is the legal staff's: the domain checks it
    "notices.issue": CASE_READERS,
    "notices.download": CASE_READERS,
    "legal.act": CASE_READERS,
    "legal.desk": LEGAL_STAFF,
    "legal.tickets": LEGAL_STAFF,
    "legal.tickets_issue": LEGAL_STAFF,
    "legal.tickets_pdf": LEGAL_STAFF,  # and the brigade scope, applied by the query
    "notices.verify": PUBLIC,  # the QR code's page: number, type, date, status only
    "evidence.photo": ANY_USER,  # and the inspection's brigade scope, checked by the domain
    "evidence.thumbnail": ANY_USER,
}
