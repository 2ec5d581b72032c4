"""Who may do what: roles from e-mail allowlists.

Everyone is a *viewer* (anonymous, read-only). A signed-in person whose e-mail address is on
the ``coordinators`` list may also import assessments and see the import history; one on the
``admins`` list may in addition roll the database back to an earlier version. The lists live
in the ``[roles]`` section of ``.streamlit/secrets.toml``::

    [roles]
    coordinators = ["olena@example.org", "@ti-ukraine.example"]   # "@domain": the whole domain
    admins = ["admin@example.org"]

Addresses compare case-insensitively. An identity provider that says the address is not
verified (``email_verified = false``) gets no role beyond viewer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

ROLES = ("viewer", "coordinator", "admin")
# What each role may do; a role may do everything the roles before it may.
RIGHTS = {
    "viewer": {"view"},
    "coordinator": {"view", "import"},
    "admin": {"view", "import", "rollback"},
}


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
    return "viewer"


def may(role: str, right: str) -> bool:
    """Whether ``role`` has ``right`` (``"view"``, ``"import"``, ``"rollback"``)."""
    return right in RIGHTS.get(role, set())
