"""Who may call which route, and which routes show case data: one declared table, enforced in
one place (``web.routing``).

Every route name must appear here; a route missing from the table stops the app at start-up.
Brigade scope (which cases, which photos) is checked by the domain and the read queries, on
top of the role checked here. A route declared with a ``journal`` shows personal data of a
case: each of its answers is recorded in the viewer's access journal (law 09-08) before it
leaves, and its handler must name what it showed, or the answer is refused.

A route declared ``bearer`` is a machine interface (the OGC API for the city's GIS): its caller
is the user of the API token sent as ``Authorization: Bearer ...``, never a session cookie; the
token must hold the scope the route names (``police.token_terms``), and a refusal is a JSON
exception (401 without a valid token), never a login page.

A route declared ``first_steps`` stays open to a session that must first do something else:
change a one-time password set by an admin, or enrol the second factor its role requires.
Every other route sends such a session to that step.

A route declared ``machine`` is a public machine interface (Open311 for the city's apps): no
session, so no CSRF token on a change either; the request authenticates itself where it must
(a POST's ``api_key``, checked by its handler) and every refusal is JSON. It must be public.
"""

from __future__ import annotations

from dataclasses import dataclass

from police.aggregates.access import Viewed
from police.roles import Role
from police.token_terms import TokenScope

PUBLIC = frozenset[Role]()  # no login needed
ANY_USER = frozenset(Role)  # any logged-in user
FIELD = frozenset({Role.OFFICER, Role.SUPERVISOR})
CASE_READERS = frozenset({Role.SUPERVISOR, Role.LEGAL})
LEGAL_STAFF = frozenset({Role.LEGAL})
PERMITS_OFFICE = frozenset({Role.PERMITS})
# The registry is read by the office, by supervisors planning their brigade's rounds, and by
# legal staff preparing a notice; only the office changes it (checked again by the domain).
REGISTRY_READERS = frozenset({Role.PERMITS, Role.SUPERVISOR, Role.LEGAL})
# Who may read some collection of the OGC API; each collection names its own readers
# (``web.ogc_collections``), and the collections list shows only those the caller reads.
GIS_READERS = CASE_READERS | {Role.PERMITS}
CASHIERS = frozenset({Role.PERMITS, Role.LEGAL})
ADMINS = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class Access:
    roles: frozenset[Role]
    journal: Viewed | None = None
    # the caller is the user of an API token holding this scope, not a session's
    bearer: TokenScope | None = None
    machine: bool = False  # public, cookie-less: no CSRF; the request authenticates itself
    first_steps: bool = False  # open before a one-time password is changed (see above)

    def __post_init__(self) -> None:
        if self.machine and (self.roles or self.journal or self.bearer is not None):
            raise ValueError("a machine route is public, unjournaled, and authenticates itself")


ROUTES: dict[str, Access] = {
    "health": Access(PUBLIC),
    "ready": Access(PUBLIC),  # reports which dependency is down, nothing about cases
    "metrics": Access(PUBLIC),  # counts only; keep it off the public proxy (README)
    "login": Access(PUBLIC),
    "login.submit": Access(PUBLIC),
    # the second step of signing in: the code of an account with a second factor
    "login.code": Access(PUBLIC),
    "login.code_submit": Access(PUBLIC),
    "language": Access(PUBLIC),
    "service_worker": Access(PUBLIC),
    "logout": Access(ANY_USER, first_steps=True),
    "home": Access(ANY_USER),
    "csrf": Access(ANY_USER, first_steps=True),
    # each user's own account: password, language, sessions, second factor
    "account.show": Access(ANY_USER, first_steps=True),
    "account.password": Access(ANY_USER, first_steps=True),
    "account.password_change": Access(ANY_USER, first_steps=True),
    "account.language": Access(ANY_USER),
    "account.sign_out_everywhere": Access(ANY_USER),
    "account.two_factor": Access(ANY_USER, first_steps=True),
    "account.two_factor_enrol": Access(ANY_USER, first_steps=True),
    "account.recovery_codes": Access(ANY_USER),
    "account.two_factor_off": Access(ANY_USER),
    # the admin's accounts: list, create, one account's page and its actions (each action's
    # own rule checked again by the domain)
    "admin.users": Access(ADMINS),
    "admin.users_new": Access(ADMINS),
    "admin.users_create": Access(ADMINS),
    "admin.user": Access(ADMINS),
    "admin.user_act": Access(ADMINS),
    "officer.home": Access(FIELD),
    "officer.new": Access(FIELD),
    "officer.submit": Access(FIELD),
    "officer.receipt": Access(FIELD, journal=Viewed.INSPECTION),
    "officer.ticket": Access(FIELD, journal=Viewed.NOTICE),  # the avis of the officer's ticket
    "officer.lookup": Access(FIELD),
    "officer.permits_near": Access(FIELD),  # the permits near the phone, for its form
    "cases.list": Access(CASE_READERS),
    "cases.show": Access(CASE_READERS, journal=Viewed.CASE),
    "cases.export_csv": Access(CASE_READERS, journal=Viewed.EXPORT),
    "cases.export_geojson": Access(CASE_READERS, journal=Viewed.EXPORT),
    "cases.overview": Access(CASE_READERS),
    # the map's layers: brigade, time, outcome, codes, case reference; no personal data
    "maps.inspections": Access(CASE_READERS),  # and the brigade scope, applied by the query
    "maps.arrondissements": Access(ANY_USER),  # the territory's boundaries, public knowledge
    "cases.act": Access(CASE_READERS),  # each action's own role is checked by the domain
    "notices.preview": Access(CASE_READERS),  # issuing is the legal staff's: the domain checks
    "notices.issue": Access(CASE_READERS),
    "notices.download": Access(CASE_READERS, journal=Viewed.NOTICE),
    "legal.desk": Access(LEGAL_STAFF),
    "legal.tickets": Access(LEGAL_STAFF),
    "legal.tickets_issue": Access(LEGAL_STAFF),
    # and the brigade scope, applied by the query
    "legal.tickets_pdf": Access(LEGAL_STAFF, journal=Viewed.NOTICE),
    "permits.list": Access(REGISTRY_READERS),
    "permits.export_csv": Access(REGISTRY_READERS, journal=Viewed.EXPORT),
    "permits.map": Access(REGISTRY_READERS),
    "permits.geojson": Access(REGISTRY_READERS, journal=Viewed.EXPORT),
    "permits.show": Access(REGISTRY_READERS, journal=Viewed.PERMIT),
    "permits.arrete": Access(REGISTRY_READERS, journal=Viewed.PERMIT),
    "permits.new": Access(PERMITS_OFFICE),
    "permits.grant": Access(PERMITS_OFFICE),
    "permits.amend_form": Access(PERMITS_OFFICE),
    "permits.amend": Access(PERMITS_OFFICE),
    "permits.print": Access(PERMITS_OFFICE),
    "permits.act": Access(PERMITS_OFFICE),
    # the public e-démarches: the form, and a file opened only by its private link
    "demarches.landing": Access(PUBLIC),
    "demarches.new": Access(PUBLIC),
    "demarches.submit": Access(PUBLIC),
    "demarches.track": Access(PUBLIC),
    "demarches.documents": Access(PUBLIC),
    "demarches.arrete": Access(PUBLIC),
    "demarches.renew": Access(PUBLIC),
    # residents' reports: the form, the duplicate prompt (no photo, no contact), a report
    # opened only by its private link
    "signaler.form": Access(PUBLIC),
    "signaler.submit": Access(PUBLIC),
    "signaler.nearby": Access(PUBLIC),
    "signaler.follow": Access(PUBLIC),
    "signaler.track": Access(PUBLIC),
    # the recipient of a notice, with the notice's number and its private code: their own case
    "mon_avis.door": Access(PUBLIC),
    "mon_avis.open": Access(PUBLIC),
    "mon_avis.case": Access(PUBLIC),
    "mon_avis.photo": Access(PUBLIC),
    "mon_avis.contest": Access(PUBLIC),
    "mon_avis.declare": Access(PUBLIC),
    "mon_avis.leave": Access(PUBLIC),
    # legal staff revoke (or replace) a notice's code
    "cases.access_code": Access(LEGAL_STAFF),
    # the establishment register: each one's risk category and routine visit; setting the
    # category by hand is the hygiene supervisor's (the brigade checked by the domain)
    "register.list": Access(CASE_READERS),
    "register.show": Access(CASE_READERS),
    "register.override": Access(frozenset({Role.SUPERVISOR})),
    "register.to_campaign": Access(frozenset({Role.SUPERVISOR})),
    "planning.show": Access(frozenset({Role.SUPERVISOR})),
    "planning.coverage": Access(frozenset({Role.SUPERVISOR})),
    "planning.reassign": Access(frozenset({Role.SUPERVISOR})),
    # the officers of the supervisor's brigades (every brigade for an admin, the scope applied
    # by the handler), each with their load; read-only: roles are an admin's to grant
    "team.show": Access(frozenset({Role.SUPERVISOR})),
    # the supervisors triage them (the brigade scope checked by the domain and the queries);
    # their photos may show faces and plates: each view is journaled
    "reports.queue": Access(frozenset({Role.SUPERVISOR})),
    "reports.show": Access(frozenset({Role.SUPERVISOR}), journal=Viewed.REPORT),
    "reports.act": Access(frozenset({Role.SUPERVISOR})),
    "reports.photo": Access(FIELD, journal=Viewed.REPORT),  # and the officer it is sent to
    # the officer's visit of a dispatched report: its place, description and photos
    "reports.visit": Access(FIELD, journal=Viewed.REPORT),
    # the supervisors plan their brigades' campaigns (the brigade scope checked by the domain
    # and the handlers); a target's label names an establishment or a permit's holder, as the
    # registry's list does: not journaled
    "campaigns.list": Access(frozenset({Role.SUPERVISOR})),
    "campaigns.new": Access(frozenset({Role.SUPERVISOR})),
    "campaigns.plan": Access(frozenset({Role.SUPERVISOR})),
    "campaigns.show": Access(frozenset({Role.SUPERVISOR})),
    "campaigns.targets": Access(frozenset({Role.SUPERVISOR})),
    "campaigns.close": Access(frozenset({Role.SUPERVISOR})),
    # the office instructs the applications; the applicant's contact is on the file's page
    "applications.queue": Access(PERMITS_OFFICE),
    "applications.show": Access(PERMITS_OFFICE, journal=Viewed.APPLICATION),
    "applications.document": Access(PERMITS_OFFICE | FIELD, journal=Viewed.APPLICATION),
    "applications.act": Access(PERMITS_OFFICE),
    "permits.payment": Access(CASHIERS),  # the permits office or legal staff, at the till
    # the site visits asked of the public-domain brigade (its scope checked by the handler)
    "visits.show": Access(FIELD, journal=Viewed.APPLICATION),
    "visits.report": Access(FIELD, journal=Viewed.APPLICATION),  # a refusal shows the file
    "notices.verify": Access(PUBLIC),  # the QR code's page: number, type, date, status only
    # and the inspection's brigade scope, checked by the domain
    "evidence.photo": Access(ANY_USER, journal=Viewed.EVIDENCE),
    "evidence.original": Access(ANY_USER, journal=Viewed.EVIDENCE),  # the file as received
    # shown inside a case page or a receipt, which are journaled; one view per page, not 12
    "evidence.thumbnail": Access(ANY_USER),
    # OGC API - Features for the city's GIS, read-only; no journal: their features carry no
    # personal data (``projections.queries.features``); brigade scope applied by the query
    "ogc.landing": Access(GIS_READERS, bearer=TokenScope.OGC),
    "ogc.api": Access(GIS_READERS, bearer=TokenScope.OGC),
    "ogc.conformance": Access(GIS_READERS, bearer=TokenScope.OGC),
    "ogc.collections": Access(GIS_READERS, bearer=TokenScope.OGC),
    "ogc.collection": Access(GIS_READERS, bearer=TokenScope.OGC),
    "ogc.items": Access(GIS_READERS, bearer=TokenScope.OGC),
    "ogc.item": Access(GIS_READERS, bearer=TokenScope.OGC),
    # the admin's API tokens: every token listed (never its secret), one issued (its secret
    # shown in that answer only), one revoked
    "admin.tokens": Access(frozenset({Role.ADMIN})),
    "admin.tokens_new": Access(frozenset({Role.ADMIN})),
    "admin.tokens_issue": Access(frozenset({Role.ADMIN})),
    "admin.tokens_revoke": Access(frozenset({Role.ADMIN})),
    # Open311 GeoReport v2 for the city's apps: the services, the reports as the public sees
    # them (never a contact or a photo), and a report posted with an API token as ``api_key``
    "open311.services": Access(PUBLIC, machine=True),
    "open311.requests": Access(PUBLIC, machine=True),  # GET lists, POST sends one
    "open311.request": Access(PUBLIC, machine=True),
    # the administration's read-only pages: the infraction catalogue by version with its
    # citation counts and the territory; the readiness checks, the read models' lag, the
    # object store and the last backup and verification (an error's detail names servers)
    "admin.reference": Access(frozenset({Role.ADMIN})),
    "admin.citing": Access(ADMINS),  # the inspections that cited an entry, with their cases
    "admin.system": Access(frozenset({Role.ADMIN})),
}
