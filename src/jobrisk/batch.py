"""Batch scoring of CSV / TSV / JSON Lines exports: ``jobrisk score`` and :func:`score_file`.

The input is streamed in chunks of rows; each chunk's texts are scored (in worker processes
with ``jobs > 1``, each loading the model once) and written back in input order with the risk
columns added. Memory stays flat whatever the file size: only a bounded number of chunks is in
flight. Output goes to a temporary file renamed at the end, so an interrupted run leaves no
output. See :func:`score_file` for the exact contract.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import itertools
import json
import logging
import math
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from .policy import STAGE_NAMES
from .tabular import (
    DELIMITERS,
    ENCODINGS,
    FORMATS,
    InputError,
    JsonlWriter,
    LineReader,
    TableReader,
    TableWriter,
    TextEncoding,
    atomic_output,
    format_from_path,
    normalize_encoding,
    open_lines,
    read_jsonl,
)

__all__ = [
    "DEFAULT_CHUNKSIZE",
    "InputError",
    "ScoreSummary",
    "add_score_arguments",
    "run_score",
    "score_file",
]

log = logging.getLogger(__name__)

DEFAULT_CHUNKSIZE = 2000
RISK_COLUMNS = ("risk_score", "risk_flag", "risk_channels", "risk_evidence", "risk_severity")
VERDICT_COLUMN = "risk_verdict"
BAD_LINE_ACTIONS = ("error", "skip", "keep")
# Column names looked for when --text-column is not given (compared case-insensitively).
TITLE_COLUMNS = ("title", "タイトル", "件名", "subject", "案件名")
BODY_COLUMNS = (
    "text", "本文", "内容", "詳細", "description", "message", "body", "content", "メッセージ",
    "仕事内容", "依頼内容",
)
STAGE_VALUES = {
    "pre_contract": "pre_contract", "pre": "pre_contract", "契約前": "pre_contract",
    "未契約": "pre_contract", "post_contract": "post_contract", "post": "post_contract",
    "契約後": "post_contract", "契約済": "post_contract", "契約済み": "post_contract",
}
_MAX_BAD_LINE_WARNINGS = 5

# (score, flagged, channels, evidence, severity, verdict) of one row
Result = tuple[float, bool, str, str, str, str]


@dataclass
class ScoreSummary:
    """What a :func:`score_file` run did.

    ``rows_read`` counts data records (bad lines included); ``rows_scored`` rows whose text
    went through the model; ``empty_texts`` rows written with score 0 because their text was
    empty, NaN or whitespace; ``bad_lines`` ragged CSV rows / invalid JSON lines (skipped or
    kept, per ``on_bad_lines``); ``unencodable`` characters the output encoding could not hold
    (written as ``?``).
    """

    rows_read: int = 0
    rows_scored: int = 0
    rows_flagged: int = 0
    empty_texts: int = 0
    bad_lines: int = 0
    unencodable: int = 0
    seconds: float = 0.0
    rows_per_second: float = 0.0
    text_columns: tuple[str, ...] = ()
    output: str = ""
    rows_written: int = 0
    encoding: str = ""
    output_encoding: str = ""

    def format(self) -> str:
        """A short multi-line report for people."""
        lines = [
            f"wrote {'<stdout>' if self.output == '-' else self.output} ({self.output_encoding}; "
            f"text: {' + '.join(self.text_columns)})",
            f"  rows read            {self.rows_read:>12,}",
            f"  rows scored          {self.rows_scored:>12,}",
            f"  rows flagged         {self.rows_flagged:>12,}",
            f"  empty texts          {self.empty_texts:>12,}",
            f"  bad lines            {self.bad_lines:>12,}",
            f"  unencodable chars    {self.unencodable:>12,}",
            f"  seconds              {self.seconds:>12.2f}",
            f"  rows per second      {self.rows_per_second:>12,.0f}",
        ]
        return "\n".join(lines)


# -- scoring (runs in worker processes too) --------------------------------------------------


@dataclass(frozen=True)
class ModelSpec:
    """How to load the model: picklable, and the key of the per-process model cache."""

    path: str | None = None
    policy: str | None = None
    threshold: float | None = None


_MODELS: dict[ModelSpec, Any] = {}
_WARM_UP = ["【募集】データ入力のお仕事です。詳細はＬＩＮＥでご連絡ください。", "よろしくお願いします"]
_MODELS_LOCK = threading.Lock()


def cached_model(spec: ModelSpec) -> Any:
    """This process's model for ``spec``: loaded once, then reused for every chunk."""
    with _MODELS_LOCK:
        model = _MODELS.get(spec)
        if model is None:
            from .api import load_model

            model = load_model(spec.path, policy=spec.policy)
            if spec.threshold is not None:
                model.threshold = spec.threshold
            # Build the lookup tables the first prediction needs (n-gram indexes, stacked
            # classifier folds) now: worker processes forked later share them instead of each
            # building its own copy.
            model.predict(_WARM_UP)
            _MODELS.clear()
            _MODELS[spec] = model
        return model


def score_texts(
    spec: ModelSpec, texts: Sequence[str | None], stages: Sequence[str | None] | None
) -> list[Result]:
    """Score one chunk; ``stages`` (one per text) sets each verdict. Same order as ``texts``.

    Scoring makes and drops many small containers (token lists, signals, predictions) and
    creates no reference cycles of its own, so the garbage collector is off while a chunk is
    scored (~6 % of the time of a row); it is back on when the chunk is done, and then
    collects whatever the chunk left.
    """
    model = cached_model(spec)
    collecting = gc.isenabled()
    gc.disable()
    try:
        if stages is None:
            return [_result(p) for p in model.predict(list(texts))]
        out: list[Result | None] = [None] * len(texts)
        groups: dict[str | None, list[int]] = {}
        for i, stage in enumerate(stages):
            groups.setdefault(stage, []).append(i)
        for stage, idx in groups.items():
            preds = model.predict([texts[i] for i in idx], stage=stage)
            for i, p in zip(idx, preds, strict=True):
                out[i] = _result(p)
        return out  # type: ignore[return-value]
    finally:
        if collecting:
            gc.enable()


def _result(p: Any) -> Result:
    evidence = " | ".join(span.text for span in p.evidence)
    return (p.score, p.flagged, ";".join(p.channels), evidence, p.severity, p.verdict)


def _init_worker() -> None:
    """Workers leave Ctrl-C to the parent, which stops them; SIGTERM ends them at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


# -- records and chunks ----------------------------------------------------------------------


@dataclass
class Chunk:
    """Rows of the input with the text and stage of each, ready to score and write."""

    rows: list[Any] = field(default_factory=list)
    texts: list[str | None] = field(default_factory=list)
    stages: list[str | None] | None = None
    bytes_read: int = 0
    unscored: int = 0  # invalid JSON lines kept as they are


@dataclass
class _Layout:
    """Where the text and stage of a record are, and the output columns."""

    text_columns: tuple[str, ...]
    stage_column: str | None
    stage: str | None
    with_verdict: bool
    text_index: tuple[int, ...] = ()
    stage_index: int | None = None
    width: int = 0


def _join(parts: Iterable[str | None]) -> str | None:
    present = [p for p in parts if p is not None and p.strip()]
    return "\n".join(present) if present else None


def _stage_of(value: str | None, layout: _Layout, where: str) -> str | None:
    if value is None or not value.strip():
        return layout.stage
    stage = STAGE_VALUES.get(value.strip().lower())
    if stage is None:
        raise InputError(
            f"{where}: stage column {layout.stage_column!r} has {value!r}; use 契約前 / 契約後 "
            "(or pre_contract / post_contract), or leave it empty"
        )
    return stage


def _as_text(value: Any) -> str | None:
    """A JSON value as text: None and NaN are missing; objects and arrays become JSON."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def find_text_columns(
    columns: Sequence[str], wanted: Sequence[str] | None, name: str
) -> tuple[str, ...]:
    """The text columns: ``wanted`` (checked) or, if None, a title and/or body column by name."""
    available = ", ".join(repr(c) for c in columns) or "(none)"
    if wanted:
        missing = [c for c in wanted if c not in columns]
        if missing:
            raise InputError(
                f"{name} has no column {', '.join(map(repr, missing))}; available columns: "
                f"{available}. Name the text with --text-column COL."
            )
        return tuple(dict.fromkeys(wanted))
    by_name: dict[str, str] = {}
    for column in columns:
        by_name.setdefault(column.strip().lower(), column)
    title = next((by_name[c] for c in TITLE_COLUMNS if c in by_name), None)
    body = next((by_name[c] for c in BODY_COLUMNS if c in by_name), None)
    found = tuple(c for c in (title, body) if c is not None)
    if not found:
        raise InputError(
            f"{name}: no text column found by name; available columns: {available}. Name it "
            "with --text-column COL (repeat it to join several, e.g. --text-column タイトル "
            "--text-column 本文)."
        )
    return found


def _check_columns(columns: Sequence[str], layout: _Layout, name: str) -> None:
    taken = [c for c in (*RISK_COLUMNS, VERDICT_COLUMN) if c in columns]
    if taken:
        raise InputError(
            f"{name} already has the column(s) {', '.join(taken)}: is it already a jobrisk "
            "output? Score the original export, or rename those columns."
        )
    if layout.stage_column is not None and layout.stage_column not in columns:
        raise InputError(
            f"{name} has no stage column {layout.stage_column!r}; available columns: "
            f"{', '.join(repr(c) for c in columns)}"
        )



class _JsonRow(NamedTuple):
    """A JSON Lines record: the raw line and its object (None for an invalid line)."""

    raw: str
    obj: dict[str, Any] | None


_JSONL_LOOKAHEAD = 10_000


class _Source:
    """An opened input: its format, decoded lines, columns, and its records in chunks."""

    def __init__(self, lines: LineReader, fmt: str, name: str, on_bad_lines: str) -> None:
        self.lines, self.fmt, self.name, self.on_bad_lines = lines, fmt, name, on_bad_lines
        self.bad_lines = 0
        self.rows_read = 0
        self.line_ending = "\n"
        if fmt == "jsonl":
            self._jsonl = read_jsonl(lines)
            self._buffered = self._until_first_object()
            first = self._buffered[-1][2] if self._buffered else None
            self.columns: list[str] = list(first or {})
        else:
            self._table = TableReader(lines, DELIMITERS[fmt], name)
            self.columns = self._table.header
            self.line_ending = self._table.line_ending

    def _until_first_object(self) -> list[tuple[int, str, dict[str, Any] | None]]:
        """Records up to the first JSON object (whose keys are the columns)."""
        buffered = []
        for record in self._jsonl:
            buffered.append(record)
            if record[2] is not None:
                return buffered
            if self.on_bad_lines == "error":
                self._bad(record[0], "not a JSON object")
            if len(buffered) >= _JSONL_LOOKAHEAD:
                raise InputError(f"{self.name}: no JSON object in the first {len(buffered)} lines")
        return buffered

    def _bad(self, line: int, what: str) -> None:
        self.bad_lines += 1
        if self.on_bad_lines == "error":
            keep = "as they are" if self.fmt == "jsonl" else "missing fields empty, extra dropped"
            raise InputError(
                f"{self.name}: line {line}: {what}. Fix it, or pass --on-bad-lines skip (drop "
                f"such lines) or --on-bad-lines keep (write them, {keep})."
            )
        if self.bad_lines <= _MAX_BAD_LINE_WARNINGS:
            log.warning("%s: line %d: %s (%s)", self.name, line, what, self.on_bad_lines)

    def records(self, layout: _Layout) -> Iterator[tuple[Any, str | None, str | None]]:
        """``(row, text, stage)`` of each record, in input order."""
        if self.fmt == "jsonl":
            return self._jsonl_records(layout)
        return self._table_records(layout)

    def _table_records(self, layout: _Layout) -> Iterator[tuple[Any, str | None, str | None]]:
        width = layout.width
        for line, fields in self._table:
            self.rows_read += 1
            if len(fields) != width:
                self._bad(line, f"expected {width} fields, found {len(fields)}")
                if self.on_bad_lines == "skip":
                    continue
                fields = (fields + [""] * width)[:width]
            text = _join([fields[i] for i in layout.text_index])
            stage = layout.stage
            if layout.stage_index is not None:
                stage = _stage_of(fields[layout.stage_index], layout, f"{self.name}: line {line}")
            yield fields, text, stage

    def _jsonl_records(self, layout: _Layout) -> Iterator[tuple[Any, str | None, str | None]]:
        for line, raw, obj in itertools.chain(self._buffered, self._jsonl):
            self.rows_read += 1
            if obj is None:
                self._bad(line, "not a JSON object")
                if self.on_bad_lines == "keep":
                    yield _JsonRow(raw, None), None, None
                continue
            taken = [c for c in (*RISK_COLUMNS, VERDICT_COLUMN) if c in obj]
            if taken:
                raise InputError(
                    f"{self.name}: line {line} already has {', '.join(taken)}: is it already a "
                    "jobrisk output? Score the original export."
                )
            text = _join([_as_text(obj.get(c)) for c in layout.text_columns])
            stage = layout.stage
            if layout.stage_column is not None:
                where = f"{self.name}: line {line}"
                stage = _stage_of(_as_text(obj.get(layout.stage_column)), layout, where)
            yield _JsonRow(raw, obj), text, stage

    def chunks(self, layout: _Layout, size: int) -> Iterator[Chunk]:
        """The records in chunks of ``size`` rows."""
        chunk = Chunk(stages=[] if layout.with_verdict else None)
        for row, text, stage in self.records(layout):
            chunk.rows.append(row)
            chunk.texts.append(text)
            if chunk.stages is not None:
                chunk.stages.append(stage)
            if type(row) is _JsonRow and row.obj is None:
                chunk.unscored += 1
            if len(chunk.rows) >= size:
                chunk.bytes_read = self.lines.bytes_read
                yield chunk
                chunk = Chunk(stages=[] if layout.with_verdict else None)
        if chunk.rows:
            chunk.bytes_read = self.lines.bytes_read
            yield chunk


# -- output ----------------------------------------------------------------------------------


class _Output:
    """Writes scored chunks as CSV / TSV or JSON Lines."""

    def __init__(
        self, out: BinaryIO, fmt: str, encoding: TextEncoding, columns: Sequence[str],
        with_verdict: bool, line_ending: str,
    ) -> None:
        self.fmt, self.columns, self.with_verdict = fmt, list(columns), with_verdict
        self.risk_columns = [*RISK_COLUMNS, VERDICT_COLUMN] if with_verdict else list(RISK_COLUMNS)
        if fmt == "jsonl":
            self._jsonl = JsonlWriter(out, encoding)
        else:
            self._table = TableWriter(out, encoding, DELIMITERS[fmt], line_ending)
            self._table.write_rows([[*self.columns, *self.risk_columns]])

    @property
    def unencodable(self) -> int:
        """Characters written as ``?`` because the output encoding cannot hold them."""
        return (self._jsonl if self.fmt == "jsonl" else self._table).unencodable

    def write(self, chunk: Chunk, results: Sequence[Result]) -> None:
        """Write a chunk's rows with their risk columns."""
        if self.fmt != "jsonl":
            n = len(self.risk_columns)
            self._table.write_rows(
                [*row, *_csv_risk(res)[:n]] for row, res in zip(chunk.rows, results, strict=True)
            )
        else:
            self._jsonl.write_lines(
                self._json_line(row, res) for row, res in zip(chunk.rows, results, strict=True)
            )

    def _json_line(self, row: Any, res: Result) -> str:
        values = dict(zip(self.risk_columns, _json_risk(res), strict=False))
        if type(row) is not _JsonRow:  # a CSV / TSV row written as JSON Lines
            record = dict(zip(self.columns, row, strict=True))
            record.update(values)
            return json.dumps(record, ensure_ascii=False)
        body = row.raw.rstrip()
        if row.obj is None:  # an invalid line kept with --on-bad-lines keep
            return body
        head = body[:-1].rstrip()  # the object without its closing brace
        extra = ", ".join(
            f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in values.items()
        )
        return f"{head}{', ' if row.obj else ''}{extra}}}"


def _csv_risk(res: Result) -> tuple[str, ...]:
    score, flagged, channels, evidence, severity, verdict = res
    return (f"{score:.4f}", "1" if flagged else "0", channels, evidence, severity, verdict)


def _json_risk(res: Result) -> tuple[Any, ...]:
    score, flagged, channels, evidence, severity, verdict = res
    return (round(score, 4), int(flagged), channels, evidence, severity, verdict)


# -- scheduling ------------------------------------------------------------------------------


def _scored(
    chunks: Iterator[Chunk], spec: ModelSpec, jobs: int
) -> Iterator[tuple[Chunk, list[Result]]]:
    """Each chunk with its results, in input order; in ``jobs`` worker processes when the
    input has more than one chunk.

    The loaded model's many long-lived objects need no garbage collection: ``gc.freeze()`` takes
    them out of the collector's full passes (~13 -> ~5 µs per row spent collecting), and keeps
    forked workers from touching (and so copying) the memory pages they share with this process.
    """
    head = list(itertools.islice(chunks, 2))
    gc.freeze()
    try:
        if jobs <= 1 or len(head) < 2:
            for chunk in itertools.chain(head, chunks):
                yield chunk, score_texts(spec, chunk.texts, chunk.stages)
        else:
            yield from _scored_in_pool(itertools.chain(head, chunks), spec, jobs)
    finally:
        gc.unfreeze()


def _scored_in_pool(
    chunks: Iterator[Chunk], spec: ModelSpec, jobs: int
) -> Iterator[tuple[Chunk, list[Result]]]:
    """At most ``2 * jobs`` chunks in flight, so memory stays flat. With the ``fork`` start
    method the workers inherit the loaded model."""
    context = multiprocessing.get_context()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker)
    window: deque[tuple[Chunk, Future[list[Result]]]] = deque()
    try:
        for chunk in chunks:
            window.append((chunk, pool.submit(score_texts, spec, chunk.texts, chunk.stages)))
            if len(window) >= 2 * jobs:
                done, future = window.popleft()
                yield done, future.result()
        while window:
            done, future = window.popleft()
            yield done, future.result()
    except BaseException:
        _stop(pool)
        raise
    else:
        pool.shutdown(wait=True)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: cancel queued chunks and end the workers."""
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in workers:
        with contextlib.suppress(Exception):
            process.join(timeout=5)


class Terminated(KeyboardInterrupt):
    """The process received SIGTERM (handled like Ctrl-C: clean up, exit 1)."""


class _SigtermGuard:
    """Turns SIGTERM into :class:`Terminated` (main thread, default handler only).

    The handler raises at once; as Python ignores exceptions raised in some places (at-fork
    hooks, ``__del__``), :meth:`check` raises again between chunks if the first was lost.
    """

    def __init__(self) -> None:
        self.received: int | None = None
        self._active = False

    def __enter__(self) -> _SigtermGuard:
        self._active = (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
        )
        if self._active:
            signal.signal(signal.SIGTERM, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._active:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def _handle(self, signum: int, frame: object) -> None:
        del frame
        self.received = signum
        raise Terminated(f"terminated by signal {signum}")

    def check(self) -> None:
        """Raise :class:`Terminated` if SIGTERM arrived."""
        if self.received is not None:
            raise Terminated(f"terminated by signal {self.received}")


# -- score_file ------------------------------------------------------------------------------


def _input_format(input: str | Path, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in FORMATS:
            raise InputError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
        return fmt
    if str(input) == "-":
        return "csv"
    found = format_from_path(input)
    if found is None:
        raise InputError(
            f"cannot tell the format of {input} from its extension; use .csv, .tsv, .jsonl or "
            ".ndjson, or pass --format csv|tsv|jsonl (save Excel workbooks as 'CSV UTF-8')"
        )
    return found


def _output_target(input: str | Path, output: str | Path | None, in_fmt: str) -> tuple[str, str]:
    """``(path or "-", format)`` of the output; refuses the input itself and a missing folder."""
    if output is None:
        if str(input) == "-":
            return "-", in_fmt
        source = Path(input)
        output = source.with_name(f"{source.stem}.scored{source.suffix}")
    if str(output) == "-":
        return "-", in_fmt
    target = Path(output)
    out_fmt = format_from_path(target) or in_fmt
    if in_fmt == "jsonl" and out_fmt != "jsonl":
        raise InputError("JSON Lines input can only be written as JSON Lines (.jsonl / .ndjson)")
    if not target.parent.is_dir():
        raise InputError(f"the output folder {target.parent} does not exist; create it first")
    if target.is_dir():
        raise InputError(f"the output {target} is a folder; give a file name")
    if str(input) != "-" and target.exists() and os.path.samefile(input, target):
        raise InputError(
            f"refusing to overwrite the input {input}; write elsewhere with -o OUTPUT"
        )
    return str(target), out_fmt


@contextlib.contextmanager
def _open_input(input: str | Path) -> Iterator[tuple[BinaryIO, int | None]]:
    """The input as a binary stream with its size (None for standard input)."""
    if str(input) == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise InputError("standard input is not a byte stream; pass a file instead")
        yield stream, None
        return
    path = Path(input)
    if not path.is_file():
        raise InputError(f"input file not found: {path}")
    with path.open("rb") as fh:
        yield fh, path.stat().st_size


def _check_options(
    threshold: float | None, jobs: int | None, chunksize: int, on_bad_lines: str, stage: str | None
) -> int:
    """Validate the numeric and choice options; returns the number of jobs."""
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise InputError(f"--threshold must be between 0 and 1, got {threshold}")
    if chunksize < 1:
        raise InputError(f"--chunksize must be at least 1, got {chunksize}")
    if on_bad_lines not in BAD_LINE_ACTIONS:
        raise InputError(f"--on-bad-lines must be one of {', '.join(BAD_LINE_ACTIONS)}")
    if stage is not None and stage not in STAGE_NAMES:
        raise InputError(f"--stage must be one of {', '.join(STAGE_NAMES)}, got {stage!r}")
    jobs = os.cpu_count() or 1 if jobs is None else jobs
    if jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {jobs}")
    return jobs


def _layout(source: _Source, text_columns: tuple[str, ...], stage: str | None,
            stage_column: str | None) -> _Layout:
    layout = _Layout(
        text_columns=text_columns, stage_column=stage_column, stage=stage,
        with_verdict=stage is not None or stage_column is not None,
        width=len(source.columns),
    )
    _check_columns(source.columns, layout, source.name)
    if source.fmt != "jsonl":
        layout.text_index = tuple(source.columns.index(c) for c in text_columns)
        if stage_column is not None:
            layout.stage_index = source.columns.index(stage_column)
    return layout


def _output_encoding(
    name: str | None, input_encoding: TextEncoding, in_fmt: str, out_fmt: str
) -> TextEncoding:
    """``name`` if given, else the input's encoding and BOM (no BOM for JSON Lines made from
    CSV / TSV: a BOM is for spreadsheet programs)."""
    if name:
        return TextEncoding.named(name)
    if out_fmt == "jsonl" and in_fmt != "jsonl":
        return TextEncoding(input_encoding.codec)
    return input_encoding


def _tally(summary: ScoreSummary, chunk: Chunk, results: Sequence[Result]) -> None:
    scored = sum(text is not None for text in chunk.texts)
    summary.rows_scored += scored
    summary.empty_texts += len(chunk.texts) - scored - chunk.unscored
    summary.rows_flagged += sum(r[1] for r in results)
    summary.rows_written += len(chunk.rows)


def _progress_bar(enabled: bool, total: int | None) -> Any:
    if not enabled:
        return contextlib.nullcontext(None)
    from tqdm import tqdm

    return tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc="scoring",
                file=sys.stderr, leave=False)


def score_file(
    input: str | Path,
    output: str | Path | None = None,
    *,
    text_columns: Sequence[str] | None = None,
    encoding: str = "auto",
    output_encoding: str | None = None,
    fmt: str | None = None,
    model: str | Path | None = None,
    policy: str | Path | None = None,
    threshold: float | None = None,
    jobs: int | None = None,
    chunksize: int = DEFAULT_CHUNKSIZE,
    on_bad_lines: str = "error",
    stage: str | None = None,
    stage_column: str | None = None,
    progress: bool = False,
    notice: Callable[[str], None] | None = None,
) -> ScoreSummary:
    """Score every row of a CSV / TSV / JSON Lines file and write it with the risk columns.

    Args:
        input: the file, or ``"-"`` for standard input (CSV unless ``fmt`` says otherwise).
        output: the file to write (``"-"``: standard output); default ``<stem>.scored<ext>``
            next to the input. Its extension sets its format (CSV / TSV input may be written
            as JSON Lines). Never the input itself.
        text_columns: columns holding the text, joined with a newline; default: a title and /
            or body column found by name (``text``, ``本文``, ``タイトル``, ...).
        encoding: ``auto`` (strict UTF-8 with or without BOM, else CP932), ``utf-8``,
            ``utf-8-sig`` or ``cp932``.
        output_encoding: default: the input's encoding and BOM.
        fmt: ``csv``, ``tsv`` or ``jsonl``: the input format, instead of the extension.
        model, policy: a ``.skops`` model (default: the shipped one) and a severity TOML.
        threshold: flag at this score instead of the model's threshold.
        jobs: worker processes (default: all cores); chunks keep their order.
        chunksize: rows per chunk.
        on_bad_lines: ``error`` (raise :class:`InputError`), ``skip`` or ``keep`` a ragged CSV
            row (missing fields empty, extra fields dropped) or an invalid JSON line (as is).
        stage, stage_column: a contract stage for every row, and / or a column of stages
            (契約前 / 契約後 / pre_contract / post_contract; empty: ``stage``); either adds
            ``risk_verdict``.
        progress: show a tqdm bar (bytes read) on stderr.
        notice: called with notes for the user (columns and encoding found); default: logged.

    Raises:
        InputError: bad options or input (exit code 2 in the CLI); nothing is written.
    """
    started = time.perf_counter()
    notice = notice or log.info
    jobs = _check_options(threshold, jobs, chunksize, on_bad_lines, stage)
    in_fmt = _input_format(input, fmt)
    target, out_fmt = _output_target(input, output, in_fmt)
    name = "<stdin>" if str(input) == "-" else str(input)
    with _open_input(input) as (raw, size), _SigtermGuard() as guard:
        lines = open_lines(raw, encoding, name)
        source = _Source(lines, in_fmt, name, on_bad_lines)
        columns = find_text_columns(source.columns, text_columns, name)
        layout = _layout(source, columns, stage, stage_column)
        if not text_columns:
            notice(f"text column(s) found by name: {' + '.join(columns)} (set with --text-column)")
        if normalize_encoding(encoding) == "auto" and lines.encoding.codec != "utf-8":
            notice(f"encoding detected: {lines.encoding.label}")
        spec = ModelSpec(
            str(Path(model).resolve()) if model is not None else None,
            str(Path(policy).resolve()) if policy is not None else None,
            threshold,
        )
        cached_model(spec)  # fail on a bad model before any output exists
        out_encoding = _output_encoding(output_encoding, lines.encoding, in_fmt, out_fmt)
        summary = ScoreSummary(text_columns=columns, output=target, encoding=lines.encoding.label,
                               output_encoding=out_encoding.label)
        with atomic_output(target) as out, _progress_bar(progress, size) as bar:
            writer = _Output(out, out_fmt, out_encoding, source.columns, layout.with_verdict,
                             source.line_ending)
            scored = _scored(source.chunks(layout, chunksize), spec, jobs)
            with contextlib.closing(scored):
                for chunk, results in scored:
                    guard.check()
                    writer.write(chunk, results)
                    _tally(summary, chunk, results)
                    if bar is not None:
                        bar.update(chunk.bytes_read - bar.n)
            guard.check()
        summary.unencodable = writer.unencodable
    summary.rows_read, summary.bad_lines = source.rows_read, source.bad_lines
    summary.seconds = time.perf_counter() - started
    summary.rows_per_second = summary.rows_read / summary.seconds if summary.seconds else 0.0
    if summary.unencodable:
        log.warning(
            "%d character(s) cannot be written in %s and were replaced by '?'",
            summary.unencodable, out_encoding.label,
        )
    return summary


# -- command line ----------------------------------------------------------------------------


def _unit_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {value}")
    return number


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return number


def _encoding_name(value: str) -> str:
    try:
        return normalize_encoding(value)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_score_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``jobrisk score``."""
    parser.add_argument("input", help="CSV, TSV or JSON Lines file (.csv .tsv .jsonl .ndjson), "
                        "or - for standard input")
    parser.add_argument("-o", "--output", default=None,
                        help="file to write (- for standard output; its extension sets the "
                        "format); default: INPUT_STEM.scored.EXT next to the input")
    parser.add_argument("--format", dest="fmt", choices=FORMATS, default=None,
                        help="input format when the extension does not say (standard input: csv)")
    parser.add_argument("--text-column", dest="text_columns", action="append", metavar="COL",
                        help="column with the text; repeat to join several with a newline "
                        "(default: found by name, e.g. タイトル + 本文, text, message)")
    parser.add_argument("--encoding", type=_encoding_name, default="auto",
                        metavar="|".join(ENCODINGS),
                        help="input encoding (default auto: UTF-8 with or without BOM, else CP932)")
    parser.add_argument("--output-encoding", type=_encoding_name, default=None,
                        metavar="utf-8|utf-8-sig|cp932",
                        help="default: the input's encoding and BOM; characters it cannot hold "
                        "become '?' and are counted")
    parser.add_argument("--model", default=None, help="model file (default: the shipped model)")
    parser.add_argument("--policy", default=None, metavar="TOML",
                        help="TOML file overriding the severity table")
    parser.add_argument("--threshold", type=_unit_float, default=None, metavar="T",
                        help="flag rows with score >= T (default: the model's threshold)")
    parser.add_argument("-j", "--jobs", type=_positive_int, default=None, metavar="N",
                        help=f"worker processes (default: all cores, {os.cpu_count()})")
    parser.add_argument("--chunksize", type=_positive_int, default=DEFAULT_CHUNKSIZE, metavar="N",
                        help=f"rows per chunk (default {DEFAULT_CHUNKSIZE})")
    parser.add_argument("--on-bad-lines", choices=BAD_LINE_ACTIONS, default="error",
                        help="rows with the wrong number of fields (or invalid JSON lines): "
                        "error (default, exit 2), skip them, or keep them (missing fields "
                        "empty, extra fields dropped; invalid JSON lines written as they are)")
    parser.add_argument("--stage", choices=STAGE_NAMES, default=None,
                        help="contract stage of every row: adds risk_verdict")
    parser.add_argument("--stage-column", default=None, metavar="COL",
                        help="column with each row's stage (契約前 / 契約後 or pre_contract / "
                        "post_contract; empty: --stage): adds risk_verdict")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress bar, notes or summary (warnings and errors only)")


def run_score(args: argparse.Namespace) -> int:
    """Run ``jobrisk score``; returns the exit code (input errors raise :class:`InputError`)."""

    def note(message: str) -> None:
        print(f"jobrisk score: {message}", file=sys.stderr)

    try:
        summary = score_file(
            args.input, args.output, text_columns=args.text_columns, encoding=args.encoding,
            output_encoding=args.output_encoding, fmt=args.fmt, model=args.model,
            policy=args.policy, threshold=args.threshold, jobs=args.jobs,
            chunksize=args.chunksize, on_bad_lines=args.on_bad_lines, stage=args.stage,
            stage_column=args.stage_column,
            progress=not args.quiet and sys.stderr.isatty(),
            notice=(lambda _: None) if args.quiet else note,
        )
    except BrokenPipeError:
        # the reader of standard output went away (e.g. `| head`): stop quietly
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    if not args.quiet:
        note(summary.format())
    return 0
