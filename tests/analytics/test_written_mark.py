"""A write leaves the signature of the file it swapped in beside it (``storage.written_mark``),
so the next write — in another process, as every command-line import is — need not read the
whole file through again; a file changed in any way since is checked in full."""

from __future__ import annotations

import pytest

from analytics import health, storage


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "m.duckdb"
    with storage.writing(path, fresh=True):
        pass
    storage._written.clear()  # as in a new process: only the mark beside the file is left
    return path


def _verify_counted(monkeypatch) -> list:
    calls: list = []
    real = health.verify

    def counted(path, **kw):
        calls.append(path)
        return real(path, **kw)

    monkeypatch.setattr(health, "verify", counted)
    return calls


def test_the_file_a_write_swapped_in_is_not_read_again(db, monkeypatch):
    calls = _verify_counted(monkeypatch)
    assert storage.written_mark(db).exists()
    storage._require_healthy(db)
    assert calls == []
    with storage.writing(db):  # and the next write leaves its own mark
        pass
    storage._written.clear()
    storage._require_healthy(db)
    assert calls == []


def test_a_file_changed_since_is_read_through(db, monkeypatch):
    calls = _verify_counted(monkeypatch)
    with db.open("r+b") as fh:  # overwritten and cut short, as a crash or a full disk leaves it
        fh.write(b"garbage!" * 1024)
        fh.truncate(db.stat().st_size - 4096)
    with pytest.raises(storage.DatabaseDamaged):
        storage._require_healthy(db)
    assert calls == [db]


def test_a_mark_that_does_not_read_is_no_shortcut(db, monkeypatch):
    calls = _verify_counted(monkeypatch)
    storage.written_mark(db).write_text("not a signature", encoding="ascii")
    storage._require_healthy(db)  # read through, and sound
    assert calls == [db]
