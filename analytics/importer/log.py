"""The import log beside the database: one JSON line per attempt (imported, unchanged or
refused)."""

from __future__ import annotations

import collections
import datetime as dt
import json
from pathlib import Path

from .messages import ImportReport


def write_log(db: Path, report: ImportReport, who: str) -> None:
    entry = {
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "who": who,
        "file": report.file_name,
        "sha256": report.sha256,
        "rows": report.rows,
        "outcome": "refused"
        if not report.ok
        else ("unchanged" if report.unchanged else "imported"),
        "batch": report.batch,
        "problems": report.problem_count,
        "first_problems": [str(p) for p in report.problems[:20]],
    }
    try:
        with open(log_path(db), "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    except OSError:
        pass  # the log is a convenience; never fail an import over it


def log_path(db: Path) -> Path:
    """The import log beside the database: one JSON line per attempt."""
    return Path(db).with_name(Path(db).name + ".imports.jsonl")


def read_log(db: Path, limit: int = 200) -> list[dict]:
    """The newest ``limit`` entries of the import log beside the database (imports, unchanged
    files and refused files), newest first; damaged lines are skipped."""
    path = log_path(db)
    if not path.exists():
        return []
    entries: collections.deque = collections.deque(maxlen=limit)
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                entries.append(entry)
    return list(reversed(entries))
