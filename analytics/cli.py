"""Command line: ``python -m analytics COMMAND`` (``--help`` lists the commands).

Every command takes ``--db PATH`` (default: ``$OCM_DB`` or ``data/transparency.duckdb``) and
exits with status 0 only on success. An expected failure is one line on stderr and its own
exit status (``EXIT``, documented in the README), never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import duckdb

from . import catalog, storage
from .paths import db_path

#: Exit statuses, one per kind of failure (the README's "Command line" lists each; a test
#: checks that it does).
EXIT = {
    0: "success",
    1: "the file given was refused (its problems are listed; nothing was changed)",
    2: "wrong arguments (an unknown command, option, table or output format)",
    3: "a file is missing: the database (run `build`) or the file given",
    4: "the database is damaged or unreadable, or `check` found it wrong (run `rollback`)",
    5: "not enough free space beside the database for a write (nothing was changed)",
    6: "permission denied: the database, its folder or the file given",
    7: "another import, build or rollback holds the database (waited `OCM_LOCK_WAIT_S` s)",
    70: "an unexpected error (a bug: the message says where; `OCM_DEBUG=1` shows the traceback)",
}


def _progress(fraction: float, message: str) -> None:
    print(f"[{fraction:4.0%}] {message}", file=sys.stderr, flush=True)


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build_database
    from .synthetic import DemoSpec

    demo = args.demo or args.cities is not None
    spec = (
        DemoSpec(seed=args.seed, cities=args.cities, years=args.years, indicators=args.indicators)
        if demo
        else None
    )
    summary = build_database(args.db, demo=demo, spec=spec, progress=_progress)
    print(json.dumps(summary, indent=1))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .importer import ImportRefused, import_file

    try:
        report = import_file(args.db, Path(args.file), who=args.who)
    except ImportRefused as e:
        print(e.report.to_text(limit=args.show), file=sys.stderr)
        return 1
    print(report.to_text())
    return 0


def cmd_import_projects(args: argparse.Namespace) -> int:
    from .projects import ProjectFileError, import_projects

    try:
        n = import_projects(args.db, Path(args.file))
    except ProjectFileError as e:
        print(f"{args.file}: refused; the database was not changed\n{e}", file=sys.stderr)
        return 1
    print(f"{args.file}: {n} project(s) added or replaced")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    try:
        n = catalog.export_table(args.db, args.table, Path(args.out))
    except ValueError as e:
        print(e, file=sys.stderr)
        return 2
    print(f"wrote {n} rows of {args.table} to {args.out}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    info = catalog.database_info(args.db)
    if args.json:
        print(json.dumps(info, indent=1, default=str))
    else:
        print(catalog.format_info(info))
    return 0


def cmd_scorecard(args: argparse.Namespace) -> int:
    from .scorecard import ScorecardError, write

    con = storage.connect_read_only(args.db)
    try:
        out = write(
            con, args.city, args.year, Path(args.out), lang=args.lang, programme=args.programme
        )
    except (ScorecardError, ValueError) as e:
        print(e, file=sys.stderr)
        return 1
    finally:
        con.close()
    print(f"wrote {out}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .health import verify

    found = verify(args.db, deep=not args.quick)
    print(found.to_text(), file=sys.stdout if found.ok else sys.stderr)
    return 0 if found.ok else 4


def cmd_health_server(args: argparse.Namespace) -> int:
    from .health import health_server

    server = health_server(args.db, args.address, args.port)
    print(f"health endpoint on http://{args.address}:{server.server_port}/health for {args.db}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    if args.list:
        for v in storage.versions(args.db):
            print(v.name)
        return 0
    try:
        restored = storage.rollback(args.db)
    except FileNotFoundError as e:
        if e.errno is not None:  # the folder itself is missing
            raise
        _say(args, f"{e}; build anew with `python -m analytics build`")
        return 3
    print(f"restored {restored.name}; {len(storage.versions(args.db))} earlier version(s) left")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import run

    print(json.dumps(run(quick=args.quick, rows=args.rows), indent=1))
    return 0


class _Parser(argparse.ArgumentParser):
    """Wrong arguments are one line (and the hint to ``--help``), not the usage text."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m analytics",
        description=__doc__,
        epilog="exit statuses:\n" + "\n".join(f"  {k:>2}  {v}" for k, v in EXIT.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add(name: str, func: Callable, help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.add_argument(
            "--db",
            type=Path,
            default=None,
            help="database file (default: $OCM_DB or data/transparency.duckdb)",
        )
        # Commands that read the database check it first, so none works on a damaged file.
        sp.set_defaults(
            func=func, reads=name not in ("build", "check", "bench", "rollback", "health-server")
        )
        return sp

    b = add("build", cmd_build, "build the database anew from the shipped reference data")
    b.add_argument("--demo", action="store_true", help="add the synthetic demo programme")
    b.add_argument(
        "--cities",
        type=int,
        default=None,
        help="demo at scale: invent this many synthetic cities (implies --demo)",
    )
    b.add_argument("--years", type=int, default=9, help="demo years from 2017 (default 9)")
    b.add_argument(
        "--indicators",
        type=int,
        default=90,
        help="demo indicators per methodology, at least 13 (default 90)",
    )
    b.add_argument("--seed", type=int, default=2017, help="demo random seed (default 2017)")

    i = add("import", cmd_import, "import assessments from a CSV or XLSX file (all or nothing)")
    i.add_argument("file")
    i.add_argument("--who", default=None, help="who imports (default: the system user)")
    i.add_argument("--show", type=int, default=200, help="problems to print at most")

    ip = add(
        "import-projects",
        cmd_import_projects,
        "add or replace projects from a YAML file (the format of data/reference/projects.yaml)",
    )
    ip.add_argument("file")

    e = add(
        "export",
        cmd_export,
        "export a table as CSV, Parquet, GeoPackage or GeoJSON (by the file's extension)",
    )
    e.add_argument("--table", required=True, help="one of: " + ", ".join(catalog.EXPORTABLE))
    e.add_argument("--out", required=True)

    f = add("info", cmd_info, "what is in the database")
    f.add_argument("--json", action="store_true")

    sc = add("scorecard", cmd_scorecard, "a one-page city scorecard as PDF or PNG")
    sc.add_argument("city", help="city code, e.g. ua-lviv")
    sc.add_argument("year", type=int)
    sc.add_argument("--lang", choices=["en", "uk", "ru"], default="en")
    sc.add_argument("--programme", default=None, help="default: the city's real programme first")
    sc.add_argument("--out", required=True, help="FILE.pdf or FILE.png")

    rb = add(
        "rollback",
        cmd_rollback,
        "put the previous database version back (each write keeps the last few)",
    )
    rb.add_argument("--list", action="store_true", help="only list the kept versions")

    ck = add(
        "check",
        cmd_check,
        "verify the database (opens, schema version, row counts, results agree with a "
        "recompute); exit status 0 when it is usable, 4 when not — for health checks",
    )
    ck.add_argument(
        "--quick",
        action="store_true",
        help="skip the recompute of the results (reads every table; for frequent probes)",
    )

    hs = add(
        "health-server",
        cmd_health_server,
        "an HTTP health endpoint: GET /health is 200 while the database is usable, 503 when not",
    )
    hs.add_argument("--port", type=int, default=8599, help="default 8599")
    hs.add_argument("--address", default="127.0.0.1", help="default 127.0.0.1")

    k = add("bench", cmd_bench, "benchmarks (not tests): print a JSON report of timings")
    k.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    k.add_argument("--rows", type=int, default=1_000_000, help="rows for the import benchmark")
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as e:  # --help (0) or wrong arguments (2), already printed
        return e.code if isinstance(e.code, int) else 2
    if getattr(args, "db", None) is None:
        args.db = db_path()
    try:
        if args.reads:
            _refuse_damaged(args.db)
        return args.func(args)
    except KeyboardInterrupt:
        _say(args, "interrupted; nothing was changed by an unfinished write")
        return 130
    except Exception as e:
        status, message = failure(e, Path(args.db))
        _say(args, message)
        if status == 70 and os.environ.get("OCM_DEBUG"):
            traceback.print_exc()
        return status


def _refuse_damaged(db: Path) -> None:
    from .health import verify

    if Path(db).exists():
        found = verify(db, current=False)
        if not found.ok:
            raise storage.DatabaseDamaged(db, found.problem or "unreadable")


def _say(args: argparse.Namespace, message: str) -> None:
    print(f"python -m analytics {args.command}: {message}", file=sys.stderr)


def failure(error: BaseException, db: Path) -> tuple[int, str]:
    """The exit status and the one-line message for a failed command."""
    if isinstance(error, storage.DatabaseMissing):
        return 3, str(error)
    damaged = storage.damage(error, db)
    if damaged is not None:
        return 4, str(damaged)
    for kind, status in (
        (storage.NotEnoughSpace, 5),
        (storage.WriteLocked, 7),
    ):
        if isinstance(error, kind):
            return status, str(error)
    if isinstance(error, OSError):
        return _os_failure(error)
    if isinstance(error, duckdb.Error):  # DuckDB's own file errors (COPY … TO a file)
        for marker, status, what in _DUCKDB_FILE_ERRORS:
            if marker in str(error).lower():
                return status, f"{_quoted_path(str(error))}{what}"
    where = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    at = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
    first = str(error).splitlines()[0] if str(error) else ""
    return 70, f"unexpected {type(error).__name__}{at}: {first} (OCM_DEBUG=1 shows the details)"


_DUCKDB_FILE_ERRORS = (
    ("no such file or directory", 3, "no such file or folder"),
    ("permission denied", 6, "permission denied"),
    ("no space left", 5, "no space left on the device"),
)


def _quoted_path(text: str) -> str:
    found = re.search(r'"([^"]+)"', text)
    return f"{found.group(1)}: " if found else ""


def _os_failure(error: OSError) -> tuple[int, str]:
    name = error.filename or ""
    what = f"{name}: " if name else ""
    if error.errno == errno.ENOENT:
        return 3, f"{what}no such file or folder"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return 6, f"{what}permission denied ({error.strerror or error})"
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return 5, f"{what}no space left on the device; nothing was changed"
    if error.errno == errno.EISDIR:
        return 3, f"{what}is a folder, not a file"
    return 70, f"{what}{error.strerror or error}"
