"""Who may do what: roles from e-mail allowlists.

Everyone is a *viewer* (anonymous, read-only). A signed-in person whose e-mail address is on
the ``coordinators`` list may also import assessments, see the import history and review the
corrections councils propose; one on the ``admins`` list may in addition roll the database
back to an earlier version. City councils and civil-society monitors are bound to cities:
a ``council`` member proposes corrections for the indicators of their cities, a ``monitor``
leaves feedback on them, and neither reaches any other city. The lists live in the
``[roles]`` section of ``.streamlit/secrets.toml``::

    [roles]
    coordinators = ["olena@example.org", "@ti-ukraine.example"]   # "@domain": the whole domain
    admins = ["admin@example.org"]

    [roles.council]             # city code = who speaks for that city's council
    ua-lviv = ["press@lvivrada.example.gov.ua"]
    ua-kyiv = ["@kyivcity.example.gov.ua"]

    [roles.monitor]             # city code = the civil-society organisations monitoring it
    ua-lviv = ["cso@example.org"]

A person on several lists has the highest role (admin, coordinator, council, monitor); a
person on a council list for several cities is bound to all of them.

Addresses compare case-insensitively. An identity provider that says the address is not
verified (``email_verified = false``) gets no role beyond viewer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ROLES = ("viewer", "monitor", "council", "coordinator", "admin")
# What each role may do. Council and monitor rights hold only for the cities they are bound
# to (``Person.reaches``); coordinators and admins reach every city.
RIGHTS = {
    "viewer": {"view"},
    "monitor": {"view", "feedback"},
    "council": {"view", "propose"},
    "coordinator": {"view", "import", "review"},
    "admin": {"view", "import", "review", "rollback"},
}
BOUND_ROLES = ("council", "monitor")  # roles that reach only the cities they are bound to


@dataclass(frozen=True)
class Person:
    """Who is acting: the e-mail address (empty when signed out), the role and, for a council
    or monitor member, the cities they are bound to (``None``: every city)."""

    email: str
    role: str
    cities: frozenset[str] | None = frozenset()

    def may(self, right: str) -> bool:
        return may(self.role, right)

    def reaches(self, city: str) -> bool:
        """Whether this person may act on ``city`` at all."""
        if self.role in ("coordinator", "admin"):
            return True
        return self.cities is not None and city in self.cities


def _entries(values: Iterable[str] | str | None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [v.strip().lower() for v in values if isinstance(v, str) and v.strip()]


def _listed(email: str, entries: list[str]) -> bool:
    domain = "@" + email.rsplit("@", 1)[-1]
    return any(e == email or (e.startswith("@") and e == domain) for e in entries)


def role_for(claims: Mapping | None, allowlists: Mapping | None) -> str:
    """The role of a person with these identity ``claims`` (``email``, ``email_verified``,
    ``is_logged_in``) under the ``[roles]`` allowlists; ``"viewer"`` when signed out,
    unverified or unlisted.

    >>> role_for({"is_logged_in": True, "email": "A@x.org"}, {"admins": ["a@x.org"]})
    'admin'
    >>> role_for({"is_logged_in": True, "email": "b@x.org"}, {"coordinators": ["@x.org"]})
    'coordinator'
    >>> role_for({"is_logged_in": False, "email": "a@x.org"}, {"admins": ["a@x.org"]})
    'viewer'
    """
    if not claims or not claims.get("is_logged_in") or not allowlists:
        return "viewer"
    email = str(claims.get("email") or "").strip().lower()
    if "@" not in email or claims.get("email_verified") is False:
        return "viewer"
    if _listed(email, _entries(allowlists.get("admins"))):
        return "admin"
    if _listed(email, _entries(allowlists.get("coordinators"))):
        return "coordinator"
    for bound in BOUND_ROLES:
        if bound_cities(email, allowlists.get(bound)):
            return bound
    return "viewer"


def bound_cities(email: str, table: Mapping | None) -> frozenset[str]:
    """The cities of a ``[roles.council]`` or ``[roles.monitor]`` table (city code → list of
    addresses or ``@domain``) on which ``email`` is listed.

    >>> sorted(bound_cities("a@x.org", {"ua-lviv": ["A@x.org"], "ua-kyiv": "@x.org", "x": []}))
    ['ua-kyiv', 'ua-lviv']
    """
    if table is None or not hasattr(table, "items") or not email:
        return frozenset()
    email = email.strip().lower()
    return frozenset(
        str(city).strip().lower()
        for city, entries in table.items()
        if _listed(email, _entries(entries))
    )


def person_for(claims: Mapping | None, allowlists: Mapping | None) -> Person:
    """The ``Person`` acting with these identity ``claims`` under the ``[roles]`` tables.

    >>> lists = {"council": {"ua-lviv": ["c@x.org"]}, "coordinators": ["k@x.org"]}
    >>> person_for({"is_logged_in": True, "email": "c@x.org"}, lists)
    Person(email='c@x.org', role='council', cities=frozenset({'ua-lviv'}))
    >>> person_for({"is_logged_in": True, "email": "k@x.org"}, lists).cities is None
    True
    """
    role = role_for(claims, allowlists)
    email = str((claims or {}).get("email") or "").strip().lower() if role != "viewer" else ""
    if role in BOUND_ROLES:
        return Person(email, role, bound_cities(email, (allowlists or {}).get(role)))
    if role in ("coordinator", "admin"):
        return Person(email, role, None)
    return Person(email, "viewer", frozenset())


def may(role: str, right: str) -> bool:
    """Whether ``role`` has ``right`` (``"view"``, ``"import"``, ``"review"``, ``"rollback"``,
    ``"propose"``, ``"feedback"``)."""
    return right in RIGHTS.get(role, set())
