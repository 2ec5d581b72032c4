"""The checks of an import keep the normalised city names between files (``imp_city_keys``,
built once per set of cities): a name added to a city is known to the very next file."""

from __future__ import annotations

from analytics.importer import checks, reading
from tests.analytics.tiny import make

HEADER = "programme,year,city,level,code,score,status\n"


def _check(con, city: str) -> tuple[list[str], list[tuple]]:
    data = (HEADER + f"t,2021,{city},indicator,a1,10,scored\n").encode()
    table = reading.read_table(data, "f.csv", reading.MAX_FILE_BYTES)
    problems, _ = checks.validate(con, table)
    resolved = con.execute("SELECT city, city_code FROM imp_resolved").fetchall()
    return [p.message for p in problems], resolved


def test_a_new_alias_is_known_to_the_next_file(tmp_path):
    con = make(tmp_path / "t.duckdb", [])
    try:
        assert _check(con, "X") == ([], [("X", "x")])  # the keys are built and kept
        messages, _ = _check(con, "Xanadu")
        assert len(messages) == 1 and messages[0].startswith("unknown city")
        con.execute("UPDATE cities SET aliases = ['Xanadu'] WHERE code = 'x'")
        assert _check(con, "Xanadu") == ([], [("Xanadu", "x")])
        con.execute("UPDATE cities SET name_uk = 'Ікс' WHERE code = 'y'")
        assert _check(con, " ікс ") == ([], [(" ікс ", "y")])  # normalised: case, spaces
    finally:
        con.close()


def test_kept_keys_equal_keys_built_anew(tmp_path):
    con = make(tmp_path / "t.duckdb", [])
    try:
        _check(con, "X")
        kept = sorted(con.execute("SELECT * FROM imp_city_keys").fetchall())
        checks._city_keys_kept.clear()
        _check(con, "X")
        assert sorted(con.execute("SELECT * FROM imp_city_keys").fetchall()) == kept
        assert ("x", "x", "UA", "X") in kept
    finally:
        con.close()
