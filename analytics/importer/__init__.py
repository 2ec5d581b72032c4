"""Import assessments from a CSV or XLSX file (the format is in docs/import-format.md).

The import is all-or-nothing. A file is first read into plain text cells (``reading``:
decoding, CSV dialects, workbooks), then checked row by row against the database
(``checks``): every bad row, column and value is reported, with the closest known names for
unknown ones, and a value that is not exactly what its column allows is refused, never
rounded. Only a file without a single problem is written (``applying``), on a copy of the
database that is swapped in atomically (see ``analytics.storage.writing``). A refused file
leaves the database byte for byte as it was; the attempt is logged beside it (``log``).
Problem texts and their translations: ``messages``.
"""

from .applying import check_bytes, import_bytes, import_file, import_into
from .checks import BY_CODE, COLUMNS, LEVELS, MAX_TEXT, REQUIRED, STATUSES, validate
from .log import log_path, read_log, write_log
from .messages import MAX_REPORTED, MESSAGES, ImportRefused, ImportReport, Problem, localised
from .reading import (
    MAX_FILE_BYTES,
    MAX_XLSX_RATIO,
    MAX_XLSX_UNCOMPRESSED,
    UPLOAD_MAX_BYTES,
    Table,
    decode_text,
    read_csv_text,
    read_table,
    read_xlsx,
)

__all__ = [
    "BY_CODE",
    "COLUMNS",
    "LEVELS",
    "MAX_FILE_BYTES",
    "MAX_REPORTED",
    "MAX_TEXT",
    "MAX_XLSX_RATIO",
    "MAX_XLSX_UNCOMPRESSED",
    "MESSAGES",
    "REQUIRED",
    "STATUSES",
    "UPLOAD_MAX_BYTES",
    "ImportRefused",
    "ImportReport",
    "Problem",
    "Table",
    "check_bytes",
    "decode_text",
    "import_bytes",
    "import_file",
    "import_into",
    "localised",
    "log_path",
    "read_csv_text",
    "read_log",
    "read_table",
    "read_xlsx",
    "validate",
    "write_log",
]
