"""Streaming CSV / TSV / JSON Lines input and output for ``jobrisk score``.

- Encodings: strict UTF-8 (with or without BOM) or CP932, detected on a sample; the whole file
  is then decoded strictly and incrementally, so a bad byte anywhere is reported with its line
  and byte position, and a multibyte character split across read blocks is never broken.
- Reading yields records one at a time (CSV fields as ``str``, exactly as in the file).
- Writing encodes chunk by chunk; characters the output encoding cannot hold become ``?`` and
  are counted.
- :func:`atomic_output` writes to a temporary file in the target folder and renames it at the
  end, so an interrupted run leaves neither an output file nor a temporary file.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import os
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

__all__ = [
    "ENCODINGS",
    "FORMATS",
    "InputError",
    "JsonlWriter",
    "LineReader",
    "TableReader",
    "TableWriter",
    "TextEncoding",
    "atomic_output",
    "format_from_path",
    "normalize_encoding",
    "open_lines",
    "read_jsonl",
]

FORMATS = ("csv", "tsv", "jsonl")
ENCODINGS = ("auto", "utf-8", "utf-8-sig", "cp932")
DELIMITERS = {"csv": ",", "tsv": "\t"}
SAMPLE_BYTES = 1 << 20
BLOCK_BYTES = 1 << 20

_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_ENCODING_ALIASES = {
    "utf8": "utf-8", "utf_8": "utf-8", "utf-8": "utf-8",
    "utf-8-sig": "utf-8-sig", "utf_8_sig": "utf-8-sig", "utf8-sig": "utf-8-sig",
    "utf-8-bom": "utf-8-sig", "cp932": "cp932", "ms932": "cp932", "windows-31j": "cp932",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "mskanji": "cp932",
    "auto": "auto",
}
_FIX_ENCODING = (
    "Pass --encoding cp932 (Excel / Windows Japanese) or --encoding utf-8 if you know the "
    "encoding, or re-save the file as 'CSV UTF-8'."
)


class InputError(ValueError):
    """Input or options that cannot be used as given (exit code 2); the message names the fix."""


@dataclass(frozen=True)
class TextEncoding:
    """A text encoding of a file: ``codec`` is ``utf-8`` or ``cp932``; ``bom`` a leading BOM."""

    codec: str
    bom: bool = False

    @property
    def label(self) -> str:
        """Human-readable name, e.g. ``UTF-8 with BOM``."""
        if self.codec == "cp932":
            return "CP932"
        return "UTF-8 with BOM" if self.bom else "UTF-8"

    @classmethod
    def named(cls, name: str) -> TextEncoding:
        """The encoding for an explicit ``--output-encoding`` value."""
        name = normalize_encoding(name)
        if name == "auto":
            raise InputError("an output encoding must be utf-8, utf-8-sig or cp932, not auto")
        return cls("cp932") if name == "cp932" else cls("utf-8", bom=name == "utf-8-sig")


def normalize_encoding(name: str) -> str:
    """``auto``, ``utf-8``, ``utf-8-sig`` or ``cp932`` for a user-given encoding name.

    Shift_JIS spellings map to CP932, its Windows superset (which keeps ①, 髙 and 﨑).
    """
    key = name.strip().lower().replace(" ", "")
    if key not in _ENCODING_ALIASES:
        raise InputError(f"unknown encoding {name!r}; use one of {', '.join(ENCODINGS)}")
    return _ENCODING_ALIASES[key]


def format_from_path(path: str | Path) -> str | None:
    """``csv``, ``tsv`` or ``jsonl`` from a file name's extension; None when unknown."""
    return _EXTENSIONS.get(Path(path).suffix.lower())


# -- decoding --------------------------------------------------------------------------------


def _decode_error(name: str, label: str, line: int, column: int, offset: int, data: bytes) -> str:
    shown = data[:4].hex(" ")
    return (
        f"{name}: not valid {label} at line {line}, byte {column} of that line (byte offset "
        f"{offset} in the file: {shown}). {_FIX_ENCODING}"
    )


def _first_error(data: bytes, codec: str, final: bool) -> UnicodeDecodeError | None:
    try:
        codecs.getincrementaldecoder(codec)("strict").decode(data, final)
    except UnicodeDecodeError as exc:
        return exc
    return None


def _position(data: bytes, index: int, base: int) -> tuple[int, int, int]:
    """``(line, column, offset)`` (1-based line and column) of byte ``index`` of ``data``."""
    line_start = data.rfind(b"\n", 0, index) + 1
    return data.count(b"\n", 0, index) + 1, index - line_start + 1, base + index


def detect_encoding(sample: bytes, complete: bool, name: str) -> TextEncoding:
    """UTF-8 (BOM or not) when ``sample`` decodes strictly as UTF-8, else CP932 when it does.

    A UTF-8 error after some valid non-ASCII UTF-8 text means a damaged UTF-8 file: that is
    reported rather than read as CP932 (which would give mojibake).
    """
    if sample.startswith(codecs.BOM_UTF8):
        return TextEncoding("utf-8", bom=True)
    utf8_error = _first_error(sample, "utf-8", complete)
    if utf8_error is None:
        return TextEncoding("utf-8")
    looks_utf8 = not sample[: utf8_error.start].isascii()
    if not looks_utf8 and _first_error(sample, "cp932", complete) is None:
        return TextEncoding("cp932")
    line, column, offset = _position(sample, utf8_error.start, 0)
    if looks_utf8:
        raise InputError(_decode_error(name, "UTF-8", line, column, offset, sample[offset:]))
    raise InputError(
        f"{name} is neither UTF-8 nor CP932: the first byte that is not UTF-8 is at line {line}, "
        f"byte {column} of that line (byte offset {offset}: {sample[offset:offset + 4].hex(' ')}). "
        f"{_FIX_ENCODING}"
    )


class LineReader:
    """Strict incremental decoding of a binary stream into lines (``\\n`` kept).

    ``bytes_read`` counts the bytes consumed so far (for a progress bar).
    """

    def __init__(
        self, raw: BinaryIO, encoding: TextEncoding, name: str, head: bytes = b"", offset: int = 0
    ) -> None:
        self.raw, self.encoding, self.name = raw, encoding, name
        self._head = head
        self.bytes_read = offset
        self._offset = offset  # file offset of the next byte to decode
        self._line = 1  # line number at self._offset
        self._line_start = offset  # file offset where that line starts

    def __iter__(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(self.encoding.codec)("strict")
        pending: list[str] = []  # the start of a line that continues in the next block
        for block in self._blocks():
            text = self._decode(decoder, block, final=False)
            if "\n" not in text:
                pending.append(text)
                continue
            parts = text.split("\n")
            pending.append(parts[0])
            yield "".join(pending) + "\n"
            for part in parts[1:-1]:
                yield part + "\n"
            pending = [parts[-1]]
        pending.append(self._decode(decoder, b"", final=True))
        if rest := "".join(pending):
            yield rest

    def _blocks(self) -> Iterator[bytes]:
        if self._head:
            self.bytes_read += len(self._head)
            yield self._head
            self._head = b""
        while block := self.raw.read(BLOCK_BYTES):
            self.bytes_read += len(block)
            yield block

    def _decode(self, decoder: Any, block: bytes, final: bool) -> str:
        buffered = decoder.getstate()[0]
        try:
            text: str = decoder.decode(block, final)
        except UnicodeDecodeError as exc:
            data = buffered + block
            base = self._offset - len(buffered)
            line, column, offset = _position(data, exc.start, base)
            if line == 1:
                column = offset - self._line_start + 1
            raise InputError(
                _decode_error(
                    self.name, self.encoding.label, self._line + line - 1, column, offset,
                    data[exc.start :],
                )
            ) from None
        newlines = block.count(b"\n")
        if newlines:
            self._line += newlines
            self._line_start = self._offset + block.rfind(b"\n") + 1
        self._offset += len(block)
        return text


def open_lines(raw: BinaryIO, encoding: str, name: str) -> LineReader:
    """A :class:`LineReader` on ``raw`` for ``encoding`` (``auto`` detects it on a sample)."""
    encoding = normalize_encoding(encoding)
    head = _read_sample(raw)
    complete = len(head) < SAMPLE_BYTES
    has_bom = head.startswith(codecs.BOM_UTF8)
    if encoding == "auto":
        chosen = detect_encoding(head, complete, name)
    elif encoding == "cp932":
        if has_bom:
            raise InputError(
                f"{name} starts with a UTF-8 BOM, so it is not CP932; use --encoding utf-8-sig "
                "or --encoding auto"
            )
        chosen = TextEncoding("cp932")
    else:
        chosen = TextEncoding("utf-8", bom=has_bom)
    skip = len(codecs.BOM_UTF8) if chosen.bom else 0
    return LineReader(raw, chosen, name, head[skip:], offset=skip)


def _read_sample(raw: BinaryIO) -> bytes:
    parts: list[bytes] = []
    size = 0
    while size < SAMPLE_BYTES:
        block = raw.read(SAMPLE_BYTES - size)
        if not block:
            break
        parts.append(block)
        size += len(block)
    return b"".join(parts)


# -- reading ---------------------------------------------------------------------------------


class TableReader:
    """CSV / TSV records as lists of ``str``, with the line each starts on.

    The first non-blank record is the header. Blank lines are dropped. ``line_ending`` is the
    header's line ending (``\\r\\n`` or ``\\n``), to write the output the same way.
    """

    def __init__(self, lines: Iterable[str], delimiter: str, name: str) -> None:
        _raise_field_limit()
        self.name = name
        self._eof = False
        self._first_line: str | None = None
        self._reader = csv.reader(self._watch(lines), delimiter=delimiter, strict=False)
        self._next_line = 1
        header = next(self._records(), None)
        if header is None:
            raise InputError(f"{name} is empty: it has no header row")
        self.header: list[str] = header[1]
        first = self._first_line or ""
        self.line_ending = "\r\n" if first.endswith("\r\n") else "\n"

    def _watch(self, lines: Iterable[str]) -> Iterator[str]:
        for line in lines:
            if self._first_line is None:
                self._first_line = line
            yield line
        self._eof = True

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        while True:
            start = self._next_line
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(
                    f"{self.name}: line {reader.line_num}: {exc}. Fix the row, or export the "
                    "file again with standard quoting"
                ) from None
            self._next_line = reader.line_num + 1
            if self._eof:
                raise InputError(
                    f"{self.name}: the quoted field that starts on line {start} is never closed "
                    "(a '\"' is missing), so the rest of the file would be read as one field. "
                    "Fix the quotes in that row."
                )
            if fields:
                yield start, fields

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        """``(line number, fields)`` of each data record, in file order."""
        return self._records()


def _raise_field_limit() -> None:
    """Allow fields up to 2 GiB (the csv default of 128 KiB is too small for long texts)."""
    limit = 2**31 - 1
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)


def read_jsonl(lines: Iterable[str]) -> Iterator[tuple[int, str, dict[str, Any] | None]]:
    """``(line number, raw line, object)`` of each non-blank line (object None: not an object)."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            obj = None
        yield number, line, obj if isinstance(obj, dict) else None


# -- writing ---------------------------------------------------------------------------------

_counter = threading.local()


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    n = exc.end - exc.start
    _counter.n = getattr(_counter, "n", 0) + n
    return "?" * n, exc.end


codecs.register_error("jobrisk-count-replace", _count_and_replace)


class _Encoder:
    """Encodes text; characters the encoding cannot hold become ``?`` and are counted."""

    def __init__(self, out: BinaryIO, encoding: TextEncoding) -> None:
        self.out, self.codec = out, encoding.codec
        self.unencodable = 0
        if encoding.bom:
            out.write(codecs.BOM_UTF8)

    def write(self, text: str) -> None:
        try:
            data = text.encode(self.codec)
        except UnicodeEncodeError:
            _counter.n = 0
            data = text.encode(self.codec, "jobrisk-count-replace")
            self.unencodable += _counter.n
        self.out.write(data)


class TableWriter(_Encoder):
    """Writes CSV / TSV rows with minimal quoting, a chunk at a time."""

    def __init__(
        self, out: BinaryIO, encoding: TextEncoding, delimiter: str, line_ending: str = "\r\n"
    ) -> None:
        super().__init__(out, encoding)
        self._buffer = io.StringIO()
        self._csv = csv.writer(self._buffer, delimiter=delimiter, lineterminator=line_ending)

    def write_rows(self, rows: Iterable[Sequence[str]]) -> None:
        """Write rows (lists of ``str``)."""
        self._csv.writerows(rows)
        self.write(self._buffer.getvalue())
        self._buffer.seek(0)
        self._buffer.truncate()


class JsonlWriter(_Encoder):
    """Writes JSON Lines, a chunk of lines at a time."""

    def write_lines(self, lines: Iterable[str]) -> None:
        """Write lines (without line endings), each followed by ``\\n``."""
        self.write("".join(line + "\n" for line in lines))


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[BinaryIO]:
    """A binary file that appears at ``path`` only when the block completes (``-``: stdout).

    Data goes to a temporary file in the same folder, renamed over ``path`` at the end; on any
    exception (including KeyboardInterrupt) the temporary file is removed.
    """
    if str(path) == "-":
        out = sys.stdout.buffer
        yield out
        out.flush()
        return
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _file_mode(path: Path) -> int:
    """The mode of the file being replaced, else 0o666 minus the umask."""
    with contextlib.suppress(FileNotFoundError):
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
