"""Command line: ``python -m analytics COMMAND`` (``--help`` lists the commands).

Every command takes ``--db PATH`` (default: ``$OCM_DB`` or ``data/transparency.duckdb``) and
exits with status 0 only on success.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import catalog, storage
from .paths import db_path


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


def cmd_rollback(args: argparse.Namespace) -> int:
    if args.list:
        for v in storage.versions(args.db):
            print(v.name)
        return 0
    try:
        restored = storage.rollback(args.db)
    except FileNotFoundError as e:
        print(e, file=sys.stderr)
        return 1
    print(f"restored {restored.name}; {len(storage.versions(args.db))} earlier version(s) left")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import run

    print(json.dumps(run(quick=args.quick, rows=args.rows), indent=1))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m analytics",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, func, help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.add_argument(
            "--db",
            type=Path,
            default=None,
            help="database file (default: $OCM_DB or data/transparency.duckdb)",
        )
        sp.set_defaults(func=func)
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

    e = add("export", cmd_export, "export a table as CSV or Parquet (by the file's extension)")
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

    k = add("bench", cmd_bench, "benchmarks (not tests): print a JSON report of timings")
    k.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    k.add_argument("--rows", type=int, default=1_000_000, help="rows for the import benchmark")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "db", None) is None:
        args.db = db_path()
    try:
        return args.func(args)
    except storage.DatabaseMissing as e:  # every command that needs a database
        print(e, file=sys.stderr)
        return 2
