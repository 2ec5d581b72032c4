"""Shared fixtures: a database built once per test session, and fresh copies of it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from analytics import storage
from analytics.build import build_database

ROOT = Path(__file__).resolve().parent.parent
#: Cities the shipped reference data holds (one row each in cities.csv).
SHIPPED_CITIES = sum(1 for _ in (ROOT / "data/reference/cities.csv").open(encoding="utf-8")) - 1
#: Indicators with texts the shipped reference data holds (indicators.csv).
SHIPPED_INDICATORS = (
    sum(1 for _ in (ROOT / "data/reference/indicators.csv").open(encoding="utf-8")) - 1
)
# Tests see a page's error as the exception it is (AppTest's ``at.exception``, the browser's
# error box), not as the dashboard's calm message for viewers (pages.common.friendly_errors).
os.environ.setdefault("OCM_SHOW_ERRORS", "1")


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    """The shipped reference data plus the synthetic demo, built once (read it, don't write)."""
    path = tmp_path_factory.mktemp("db") / "transparency.duckdb"
    build_database(path, demo=True)
    return path


@pytest.fixture()
def db(built_db, tmp_path) -> Path:
    """A private copy of the built database that a test may change."""
    path = tmp_path / "transparency.duckdb"
    shutil.copyfile(built_db, path)
    return path


@pytest.fixture()
def ro(built_db):
    """A read-only connection to the built database."""
    con = storage.connect_read_only(built_db)
    yield con
    con.close()
