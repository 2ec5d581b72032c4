"""Roles from e-mail allowlists."""

from __future__ import annotations

import pytest

from analytics.roles import may, role_for

LISTS = {"coordinators": ["Olena@Example.org", "@ti.example"], "admins": ["boss@example.org"]}


@pytest.mark.parametrize(
    "claims, role",
    [
        (None, "viewer"),
        ({}, "viewer"),
        ({"is_logged_in": False, "email": "boss@example.org"}, "viewer"),
        ({"is_logged_in": True, "email": "boss@example.org"}, "admin"),
        ({"is_logged_in": True, "email": " BOSS@example.org "}, "admin"),
        ({"is_logged_in": True, "email": "olena@example.org"}, "coordinator"),
        ({"is_logged_in": True, "email": "anyone@ti.example"}, "coordinator"),
        ({"is_logged_in": True, "email": "anyone@evil-ti.example"}, "viewer"),
        ({"is_logged_in": True, "email": "ti.example@evil.org"}, "viewer"),
        ({"is_logged_in": True, "email": "someone@example.org"}, "viewer"),
        ({"is_logged_in": True, "email": "boss@example.org", "email_verified": False}, "viewer"),
        ({"is_logged_in": True, "email": "boss@example.org", "email_verified": True}, "admin"),
        ({"is_logged_in": True}, "viewer"),
        ({"is_logged_in": True, "email": "not-an-address"}, "viewer"),
    ],
)
def test_role_for(claims, role):
    assert role_for(claims, LISTS) == role


@pytest.mark.parametrize(
    "lists",
    [
        None,
        {},
        {"coordinators": "olena@example.org"},
        {"coordinators": [None, 3, "olena@example.org"]},
    ],
)
def test_odd_allowlists(lists):
    expected = "coordinator" if lists and "coordinators" in lists else "viewer"
    assert role_for({"is_logged_in": True, "email": "olena@example.org"}, lists) == expected


@pytest.mark.parametrize(
    "role, right, allowed",
    [
        ("viewer", "view", True),
        ("viewer", "import", False),
        ("viewer", "rollback", False),
        ("coordinator", "import", True),
        ("coordinator", "rollback", False),
        ("admin", "import", True),
        ("admin", "rollback", True),
        ("nobody", "view", False),
    ],
)
def test_may(role, right, allowed):
    assert may(role, right) is allowed
