"""Build a database from scratch: schema, shipped reference data and, optionally, the demo."""

from __future__ import annotations

import getpass
import hashlib
import time
from collections.abc import Callable
from pathlib import Path

from . import importer, reference, storage, synthetic
from .paths import REFERENCE_DIR

Progress = Callable[[float, str], None]


def reference_fingerprint(ref: Path = REFERENCE_DIR) -> str:
    """SHA-256 over the shipped reference files, recorded with the reference batch."""
    h = hashlib.sha256()
    for p in sorted(ref.iterdir()):
        if p.is_file():
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def build_database(
    path: Path,
    *,
    demo: bool = True,
    spec: synthetic.DemoSpec | None = None,
    progress: Progress | None = None,
    _only_if_missing: bool = False,
) -> dict:
    """Build the database at ``path`` anew (atomically replacing any existing file).

    ``progress(fraction, message)`` is called as the work advances. Returns a summary with the
    number of rows per table and the seconds taken.
    """
    say = progress or (lambda *_: None)
    started = time.perf_counter()
    steps = len(reference.LOADERS) + (1 if demo else 0)
    with storage.writing(Path(path), fresh=True) as con:
        if _only_if_missing and Path(path).exists():
            raise _AlreadyBuilt()
        for i, (label, loader) in enumerate(reference.LOADERS):
            say(i / steps, f"Loading {label}")
            loader(con)
        published = con.execute("SELECT count(*) FROM scores WHERE batch = 1").fetchall()[0][0]
        con.execute(
            "INSERT INTO import_batches (id, file_name, sha256, rows, imported_by, outcome, message) "
            "VALUES (?, ?, ?, ?, ?, 'imported', ?)",
            [
                reference.REFERENCE_BATCH,
                "data/reference",
                reference_fingerprint(),
                published,
                _user(),
                "shipped reference data",
            ],
        )
        for score_file in reference.score_files():
            say(0.9 * len(reference.LOADERS) / steps, f"Importing {score_file.name}")
            importer.import_into(con, score_file.read_bytes(), score_file.name, "reference build")
        if demo:
            spec = spec or synthetic.DemoSpec()
            say(len(reference.LOADERS) / steps, "Generating the synthetic demo programme")
            batch = con.execute("SELECT max(id) + 1 FROM import_batches").fetchall()[0][0]
            n = synthetic.generate(
                con, spec, batch=batch, progress=lambda m: say(len(reference.LOADERS) / steps, m)
            )
            con.execute(
                "INSERT INTO import_batches (id, file_name, sha256, rows, imported_by, outcome, "
                "message) VALUES (?, ?, ?, ?, ?, 'imported', ?)",
                [
                    batch,
                    f"synthetic:seed={spec.seed}",
                    hashlib.sha256(repr(spec).encode()).hexdigest(),
                    n,
                    _user(),
                    f"synthetic demo data: {spec}",
                ],
            )
        say(0.98, "Writing the database file")
        counts = {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in storage.TABLES
        }
    say(1.0, "Done")
    return {"path": str(path), "rows": counts, "seconds": round(time.perf_counter() - started, 3)}


class _AlreadyBuilt(Exception):
    pass


def ensure_database(
    path: Path, *, demo: bool = True, progress: Progress | None = None
) -> dict | None:
    """Build the database at ``path`` if there is none; return the build summary or ``None``.

    Safe when several processes start at once: the first builds, the others wait for the
    write lock and then find the file in place.
    """
    path = Path(path)
    if path.exists():
        return None
    try:
        return build_database(path, demo=demo, progress=progress, _only_if_missing=True)
    except _AlreadyBuilt:
        return None


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "unknown"
