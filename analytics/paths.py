"""Where the project's files live."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
DEFAULT_DB = DATA_DIR / "transparency.duckdb"


def db_path() -> Path:
    """The database file: the ``OCM_DB`` environment variable, else ``data/transparency.duckdb``."""
    return Path(os.environ.get("OCM_DB") or DEFAULT_DB)
