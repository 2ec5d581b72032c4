"""Problem messages: what a refused file is told, in every language.

Every problem text the import produces is one of the templates in ``MESSAGES``; the upload
page shows problems in the interface language through ``localised``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .. import i18n

#: Problems listed in a report at most (the count says how many there are in all).
MAX_REPORTED = 10_000

# Every problem text the import produces, as a template. The upload page shows problems in
# the interface language: translations are in the gettext catalogs
# (analytics/locales/<lang>/LC_MESSAGES/messages.po) under these English texts, and a test
# checks that every refused file of the test corpus is fully translated.
MESSAGES: tuple[str, ...] = (
    "the file starts as UTF-8 but byte {byte} is not UTF-8",
    "the file is UTF-16; save it as CSV UTF-8 (or Windows-1251)",
    "the file holds binary data (NUL bytes); it is not a CSV text file",
    "the file is neither UTF-8 nor Windows-1251 text",
    "the file is not UTF-8, and read as Windows-1251 it has characters that do not belong in "
    "this data ({characters}); save it as CSV UTF-8",
    "the file is not UTF-8, and read as Windows-1251 it has words mixing Latin and Cyrillic "
    "letters ({word}), so it is probably in another encoding; save it as CSV UTF-8",
    "the header has no comma or semicolon between column names; expected columns such as "
    "programme,year,city,level,code,score",
    "the file is empty",
    "broken CSV quoting near line {line}: a quoted value is never closed",
    "broken CSV quoting near line {line}: a value is too long (is a quote left open?)",
    "broken CSV quoting near line {line}: text follows a closing quote (write a quote inside a "
    "value as two quotes)",
    "broken CSV quoting near line {line}: {error}",
    "the file looks like XLSX but is not a valid ZIP archive",
    "the file is a ZIP archive but not an Excel workbook (XLSX)",
    "the workbook unpacks to {unpacked} MB from {packed} MB (a ZIP bomb, or too large); "
    "refused before opening it",
    "the workbook cannot be opened: {error}",
    "a formula; save values only",
    "the workbook's first sheet is empty",
    "the file is {size} MB; the limit is {limit} MB",
    "the name says XLSX but the content is not a workbook",
    "old Excel (.xls) files are not supported; save as .xlsx or CSV",
    "column {number} has no name",
    "this column appears twice",
    "unknown column",
    "did you mean {name}?",
    "required column is missing",
    "the file has a header but no data rows",
    "has {fields} fields, the header has {width} (wrong delimiter or quoting?)",
    "required",
    "unknown programme",
    "not a whole number",
    "programme {programme} has no methodology for this year (years: {years})",
    "unknown city",
    "ambiguous: {candidates}; add the country column",
    "unknown country code (use ISO-2, e.g. UA, GE)",
    "the city is not in this country (found: {candidates})",
    "must be indicator, area or total",
    "a total has no code (leave it empty or write total)",
    "unknown indicator for methodology {methodology}",
    "unknown area for methodology {methodology}",
    "must be scored, not_applicable or not_assessed",
    "required for a scored item",
    "must be empty when the status is {status}",
    "not a number",
    "not a year: write four digits, e.g. 2021 (a year is never rounded)",
    "a number with an exponent; write it in plain digits (e.g. 0.005)",
    "thousands separators are not allowed; write digits only, with one decimal point or comma",
    "ambiguous: a comma before three digits may separate thousands; write the decimal with a "
    "point (e.g. 1.250)",
    "more than 17 significant digits cannot be stored exactly",
    "holds control characters (invisible codes such as escape); write plain text",
    "not a finite number",
    "negative",
    "above the maximum of {maximum} points for this item",
    "not a web address (must start with http:// or https://)",
    "longer than {limit} characters",
    'a web address cannot hold <, >, " or \\',
    "holds HTML markup or script; write plain text",
    "closest known: {names}",
    "duplicate of row {row} (same programme, year, city, level and code)",
)


def localised(message: str, lang: str) -> str:
    """A problem's ``message`` in ``lang`` (``en``, ``uk`` or ``ru``); names, codes and
    numbers in it stay as they are. English where no template fits."""
    return i18n.translate_filled(message, lang, MESSAGES)


class ImportRefused(Exception):
    """The file was refused; ``report`` says why."""

    def __init__(self, report: ImportReport):
        super().__init__(report.to_text(limit=20))
        self.report = report


@dataclass
class Problem:
    """One reason a file is refused: the row (1 = header), the column and the value."""

    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        value = "" if self.value is None else f" value {self.value[:80]!r}:"
        return f"{', '.join(where) or 'file'}:{value} {self.message}"


@dataclass
class ImportReport:
    """What an import did, or why it refused the file."""

    file_name: str
    sha256: str = ""
    rows: int = 0
    dialect: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    batch: int | None = None
    inserted: int = 0
    superseded: int = 0
    unchanged: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def summary(self) -> str:
        if not self.ok:
            return (
                f"{self.file_name}: refused, {self.problem_count} problem(s); "
                "the database was not changed"
            )
        if self.unchanged:
            return (
                f"{self.file_name}: {self.rows} rows, identical to what is loaded; nothing changed"
            )
        return (
            f"{self.file_name}: imported {self.inserted} rows as batch {self.batch}"
            f" ({self.superseded} earlier rows superseded, kept in history)"
        )

    def to_text(self, limit: int = 200) -> str:
        lines = [self.summary()]
        for p in self.problems[:limit]:
            lines.append(f"  - {p}")
        if self.problem_count > min(limit, len(self.problems)):
            lines.append(f"  … and {self.problem_count - min(limit, len(self.problems))} more")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["ok"] = self.ok
        return d


def _fail(
    name: str,
    message: str,
    column: str | None = None,
    row: int | None = None,
    value: str | None = None,
) -> ImportRefused:
    return ImportRefused(
        ImportReport(
            file_name=name, problems=[Problem(row, column, value, message)], problem_count=1
        )
    )
