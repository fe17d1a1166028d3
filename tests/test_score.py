"""``jobrisk score``: batch scoring of real CSV / TSV / JSON Lines files (no mocks of I/O).

Most tests score with the ``tiny_model`` fixture (trained on conftest's rows) through
``jobrisk.cli.main`` in-process; one runs ``python -m jobrisk score`` in a subprocess.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from jobrisk import batch
from jobrisk.batch import ScoreSummary, score_file
from jobrisk.cli import main

RISK = ["risk_score", "risk_flag", "risk_channels", "risk_evidence", "risk_severity"]
EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"

HEADER = ["案件ID", "タイトル", "本文", "備考"]
ROWS = [
    ["A-1", "LINEスタンプ制作", "40個のスタンプを作成していただきます。", "NaN"],
    ["A-2", "急募", "詳しくはLINEで。ID: example_01 を追加してください", "NA"],
    ["A-3", "髙﨑様の案件①", "条件は以下の通り、\n① 納期は来週\n② 報酬は\"30,000円\"", "null"],
    ["A-4", "", "", ""],
    ["A-5", " ", "   ", " 先頭と末尾の空白 "],
    ["A-6", "", "\u3000\n\t", "-"],
    ["A-7", "連絡", "急ぎの連絡は携帯 090-0000-1234 までお電話ください。", "1,000"],
]


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str,
              delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_csv(path: Path, encoding: str, delimiter: str = ",") -> list[list[str]]:
    with path.open(encoding=encoding, errors="strict", newline="") as fh:
        return list(csv.reader(fh, delimiter=delimiter))


def score(*argv: object) -> int:
    return main(["score", *(str(a) for a in argv)])


def no_leftovers(folder: Path, *keep: Path) -> bool:
    """No output and no temporary file: only the given files are in ``folder``."""
    return sorted(folder.iterdir()) == sorted(keep)


# -- encodings and round trips ---------------------------------------------------------------


def test_utf8_bom_round_trips_every_field(tmp_path: Path, tiny_model: Path) -> None:
    src = write_csv(tmp_path / "export.csv", HEADER, ROWS, "utf-8-sig")
    assert score(src, "--model", tiny_model, "--quiet") == 0
    out = tmp_path / "export.scored.csv"
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    table = read_csv(out, "utf-8-sig")
    assert table[0] == HEADER + RISK
    assert [row[: len(HEADER)] for row in table[1:]] == ROWS  # byte-identical field content
    scores = {row[0]: float(row[4]) for row in table[1:]}
    assert all(len(row[4].split(".")[1]) == 4 for row in table[1:])
    assert scores["A-4"] == scores["A-5"] == 0.0  # empty / whitespace-only texts score 0
    assert scores["A-2"] > scores["A-1"]


def test_cp932_round_trips_and_stays_cp932(tmp_path: Path, tiny_model: Path) -> None:
    src = write_csv(tmp_path / "messages.csv", HEADER, ROWS, "cp932")
    assert score(src, "--model", tiny_model, "-o", tmp_path / "out.csv", "--quiet") == 0
    data = (tmp_path / "out.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "髙﨑様の案件①".encode("cp932") in data
    table = read_csv(tmp_path / "out.csv", "cp932")
    assert [row[: len(HEADER)] for row in table[1:]] == ROWS


def test_emoji_in_cp932_output_is_replaced_and_counted(
    tmp_path: Path, tiny_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [["1", "LINEで連絡ください😀 ID: example_2", "髙"], ["2", "よろしく🙏🙏", "①"]]
    src = write_csv(tmp_path / "in.csv", ["id", "text", "name"], rows, "utf-8")
    out = tmp_path / "out.csv"
    assert score(src, "--model", tiny_model, "-o", out, "--output-encoding", "cp932") == 0
    table = read_csv(out, "cp932")
    assert table[1][1] == "LINEで連絡ください? ID: example_2" and table[1][2] == "髙"
    assert table[2][1] == "よろしく??" and table[2][2] == "①"
    replaced = out.read_text("cp932").count("?")  # the input has no "?"
    assert replaced >= 3  # 3 in the text column, more if risk_evidence quotes them
    err = capsys.readouterr().err
    assert f"unencodable chars {replaced:>15}" in err


def test_tsv_and_crlf_line_endings_are_kept(tmp_path: Path, tiny_model: Path) -> None:
    src = tmp_path / "in.tsv"
    src.write_bytes("id\ttext\r\n1\tLINEで連絡ください\r\n2\t納品しました\r\n".encode())
    assert score(src, "--model", tiny_model, "--quiet") == 0
    data = (tmp_path / "in.scored.tsv").read_bytes()
    assert data.startswith(b"id\ttext\trisk_score\t") and data.count(b"\r\n") == 3


def test_auto_detection_fails_on_undecodable_bytes_naming_the_place(
    tmp_path: Path, tiny_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "broken.csv"
    src.write_bytes("id,text\n1,こんにちは\n2,ab".encode() + b"\xff\xfe" + "です\n".encode())
    assert score(src, "--model", tiny_model) == 2
    err = capsys.readouterr().err
    assert "line 3" in err and "byte 5 of that line" in err and "--encoding" in err
    assert no_leftovers(tmp_path, src)


def test_decode_error_after_the_detection_sample_is_reported(
    tmp_path: Path, tiny_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "late.csv"
    pad = "x" * 60_000
    body = "".join(f"{i},本文です,{pad}\n" for i in range(20)).encode()  # > 1 MiB of UTF-8
    bad = b"20," + "契約".encode("cp932") + f",{pad}\n".encode()
    src.write_bytes(b"id,text,pad\n" + body + bad)
    assert len(body) > 1 << 20
    assert score(src, "--model", tiny_model, "--quiet") == 2
    err = capsys.readouterr().err
    assert "line 22, byte 4 of that line" in err and f"byte offset {12 + len(body) + 3}" in err
    assert no_leftovers(tmp_path, src)


def test_multibyte_characters_across_read_blocks(tmp_path: Path, tiny_model: Path) -> None:
    # 3-byte (UTF-8) and 2-byte (CP932) characters straddle the 1 MiB read blocks
    rows = [[str(i), "LINEで連絡", "髙﨑①" * (7_000 + i)] for i in range(60)]
    rows.append(["60", "one field over several blocks", "髙" * 1_100_000])
    for encoding in ("utf-8", "cp932"):
        src = write_csv(tmp_path / f"{encoding}.csv", ["id", "text", "pad"], rows, encoding)
        assert src.stat().st_size > 2 << 20
        out = tmp_path / f"{encoding}.out.csv"
        assert score(src, "--model", tiny_model, "-o", out, "--quiet") == 0
        assert [r[:3] for r in read_csv(out, encoding)[1:]] == rows


# -- columns, rows and bad input -------------------------------------------------------------


def test_missing_text_column_exits_2_listing_columns(
    tmp_path: Path, tiny_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_csv(tmp_path / "in.csv", HEADER, ROWS, "utf-8")
    assert score(src, "--model", tiny_model, "--text-column", "message") == 2
    err = capsys.readouterr().err
    assert "'message'" in err and "'案件ID', 'タイトル', '本文', '備考'" in err
    src2 = write_csv(tmp_path / "nothing.csv", ["a", "b"], [["1", "2"]], "utf-8")
    assert score(src2, "--model", tiny_model) == 2
    err = capsys.readouterr().err
    assert "no text column found" in err and "'a', 'b'" in err and "--text-column" in err
    assert no_leftovers(tmp_path, src, src2)


def test_text_columns_found_by_name_are_reported(
    tmp_path: Path, tiny_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_csv(tmp_path / "in.csv", HEADER, ROWS, "utf-8")
    assert score(src, "--model", tiny_model) == 0
    err = capsys.readouterr().err
    assert "タイトル + 本文" in err and "rows read" in err and "rows per second" in err


def test_ragged_rows_error_skip_keep(
    tmp_path: Path, tiny_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "ragged.csv"
    src.write_text('id,text,x\n1,"two\nlines",a\n2,short\n3,long,b,EXTRA\n4,ok,c\n', "utf-8")
    assert score(src, "--model", tiny_model) == 2
    assert "line 4: expected 3 fields, found 2" in capsys.readouterr().err

    out = tmp_path / "skip.csv"
    summary = score_file(src, out, model=tiny_model, on_bad_lines="skip")
    assert [r[0] for r in read_csv(out, "utf-8")[1:]] == ["1", "4"]
    assert (summary.rows_read, summary.bad_lines, summary.rows_written) == (4, 2, 2)

    out = tmp_path / "keep.csv"
    summary = score_file(src, out, model=tiny_model, on_bad_lines="keep")
    table = read_csv(out, "utf-8")
    assert [r[:3] for r in table[1:]] == [
        ["1", "two\nlines", "a"], ["2", "short", ""], ["3", "long", "b"], ["4", "ok", "c"]
    ]
    assert summary.bad_lines == 2 and summary.rows_written == 4


def test_unclosed_quote_is_an_input_error(
    tmp_path: Path, tiny_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "quote.csv"
    src.write_text('id,text\n1,ok\n2,"never closed\n3,lost\n', "utf-8")
    assert score(src, "--model", tiny_model) == 2
    assert "starts on line 3 is never closed" in capsys.readouterr().err


def test_never_overwrites_the_input(tmp_path: Path, tiny_model: Path) -> None:
    src = write_csv(tmp_path / "in.csv", HEADER, ROWS, "utf-8")
    before = src.read_bytes()
    assert score(src, "--model", tiny_model, "-o", src) == 2
    link = tmp_path / "link.csv"
    link.symlink_to(src)
    assert score(src, "--model", tiny_model, "-o", link) == 2
    assert src.read_bytes() == before and no_leftovers(tmp_path, src, link)


def test_unknown_extension_needs_format(tmp_path: Path, tiny_model: Path) -> None:
    src = write_csv(tmp_path / "in.txt", ["text"], [["LINEで連絡"]], "utf-8")
    assert score(src, "--model", tiny_model) == 2
    assert score(src, "--model", tiny_model, "--format", "csv", "--quiet") == 0
    assert (tmp_path / "in.scored.txt").is_file()


# -- JSON Lines, standard input and output ----------------------------------------------------


def test_jsonl_in_and_out_keeps_each_line(tmp_path: Path, tiny_model: Path) -> None:
    lines = [
        '{"id": 1, "message": "LINEで連絡ください。ID: example_01", "meta": {"a": [1, 2.50]}}',
        '{"id": 2, "message": null, "note": "\\u9ad9 escaped"}',
        '{"id": 3, "message": NaN}',
        '{"id": 4}',
        '{"id": 5, "message": "納品しました"}   ',
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n\n", "utf-8")
    summary = score_file(src, tmp_path / "out.ndjson", model=tiny_model)
    out = (tmp_path / "out.ndjson").read_text("utf-8").splitlines()
    assert len(out) == 5
    for original, written in zip(lines, out, strict=True):
        body = original.rstrip()[:-1]
        assert written.startswith(body)  # original bytes kept, risk fields appended
        record = json.loads(written)
        assert set(RISK) <= set(record) and isinstance(record["risk_score"], float)
    assert json.loads(out[0])["meta"] == {"a": [1, 2.5]}
    assert summary.text_columns == ("message",)
    assert (summary.rows_read, summary.rows_scored, summary.empty_texts) == (5, 2, 3)


def test_jsonl_bad_lines(tmp_path: Path, tiny_model: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "a"}\n[1, 2]\nnot json\n{"text": "b"}\n', "utf-8")
    with pytest.raises(batch.InputError, match="line 2"):
        score_file(src, tmp_path / "o.jsonl", model=tiny_model)
    summary = score_file(src, tmp_path / "k.jsonl", model=tiny_model, on_bad_lines="keep")
    kept = (tmp_path / "k.jsonl").read_text("utf-8").splitlines()
    assert kept[1:3] == ["[1, 2]", "not json"] and summary.bad_lines == 2
    assert summary.empty_texts == 0 and summary.rows_scored == 2


def test_csv_to_jsonl_output(tmp_path: Path, tiny_model: Path) -> None:
    src = write_csv(tmp_path / "in.csv", HEADER, ROWS, "utf-8-sig")
    assert score(src, "--model", tiny_model, "-o", tmp_path / "out.jsonl", "--quiet") == 0
    data = (tmp_path / "out.jsonl").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    records = [json.loads(line) for line in data.decode().splitlines()]
    assert [[r[h] for h in HEADER] for r in records] == ROWS


def test_stdin_to_stdout_in_process(
    tiny_model: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    data = "text,id\nLINEで連絡ください,1\n,2\n".encode("cp932")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert score("-", "--model", tiny_model, "--quiet") == 0
    out = capsysbinary.readouterr().out
    table = list(csv.reader(io.StringIO(out.decode("cp932"), newline="")))
    assert table[0] == ["text", "id", *RISK] and [r[1] for r in table[1:]] == ["1", "2"]


def test_subprocess_stdin_stdout_jsonl(tiny_model: Path) -> None:
    data = '{"body": "Chatworkで連絡します"}\n{"body": "了解です"}\n'
    run = subprocess.run(
        [sys.executable, "-m", "jobrisk", "score", "-", "--format", "jsonl", "-o", "-",
         "--model", str(tiny_model)],
        input=data.encode(), capture_output=True, timeout=120, check=False,
    )
    assert run.returncode == 0, run.stderr.decode()
    records = [json.loads(line) for line in run.stdout.decode().splitlines()]
    assert [r["body"] for r in records] == ["Chatworkで連絡します", "了解です"]
    assert "rows read" in run.stderr.decode() and "body" in run.stderr.decode()


# -- parallel scoring, options ----------------------------------------------------------------


def _many_rows(n: int) -> list[list[str]]:
    texts = [r[2] for r in ROWS]
    return [[f"id{i:03d}", texts[i % len(texts)] + f" {i}"] for i in range(n)]


def test_jobs_2_keeps_count_and_order(tmp_path: Path, tiny_model: Path) -> None:
    rows = _many_rows(90)
    src = write_csv(tmp_path / "in.csv", ["id", "text"], rows, "utf-8")
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert score(src, "--model", tiny_model, "-o", one, "--jobs", "1", "--chunksize", "7",
                 "--quiet") == 0
    summary = score_file(src, two, model=tiny_model, jobs=2, chunksize=7)
    assert two.read_bytes() == one.read_bytes()
    assert [r[:2] for r in read_csv(two, "utf-8")[1:]] == rows
    assert summary.rows_read == summary.rows_written == 90


def test_garbage_collector_settings_come_back_after_a_run(tmp_path: Path, tiny_model: Path) -> None:
    import gc

    src = write_csv(tmp_path / "in.csv", ["id", "text"], _many_rows(30), "utf-8")
    before = gc.isenabled(), gc.get_freeze_count()
    score_file(src, tmp_path / "out.csv", model=tiny_model, jobs=1, chunksize=7)
    ragged = write_csv(tmp_path / "ragged.csv", ["id", "text"], [*_many_rows(30), ["x"]], "utf-8")
    with pytest.raises(batch.InputError, match="expected 2 fields"):  # raised while chunks are scored
        score_file(ragged, tmp_path / "out2.csv", model=tiny_model, jobs=1, chunksize=7)
    assert (gc.isenabled(), gc.get_freeze_count()) == before


def test_threshold_changes_flags(tmp_path: Path, tiny_model: Path) -> None:
    src = write_csv(tmp_path / "in.csv", HEADER, ROWS, "utf-8")
    flags = {}
    for threshold in ("0", "1"):
        out = tmp_path / f"t{threshold}.csv"
        assert score(src, "--model", tiny_model, "-o", out, "--threshold", threshold, "-q") == 0
        flags[threshold] = [row[5] for row in read_csv(out, "utf-8")[1:]]
    assert flags["0"] == ["1", "1", "1", "0", "0", "0", "1"]  # empty texts are never flagged
    assert flags["1"] == ["0"] * len(ROWS)
    with pytest.raises(SystemExit):
        score(src, "--model", tiny_model, "--threshold", "1.5")


def test_stage_column_adds_verdict(tmp_path: Path, tiny_model: Path) -> None:
    src = EXAMPLES / "messages_cp932.csv"
    out = tmp_path / "verdicts.csv"
    summary = score_file(src, out, model=tiny_model, stage_column="契約状態")
    table = read_csv(out, "cp932")
    assert table[0][-6:] == [*RISK, "risk_verdict"]
    verdicts = {(row[4], row[6]): set() for row in table[1:]}
    for row in table[1:]:
        verdicts[row[4], row[6]].add(row[-1])
    assert verdicts["契約前", "0"] == verdicts["契約後", "0"] == {"ok"}
    assert verdicts["契約前", "1"] == {"violation"}
    assert "needs_consent" in verdicts["契約後", "1"]
    assert summary.rows_read == 30
    with_stage = tmp_path / "stage.csv"
    score_file(src, with_stage, model=tiny_model, stage="post_contract")
    assert read_csv(with_stage, "cp932")[0][-1] == "risk_verdict"


def test_bad_stage_value_exits_2(
    tmp_path: Path, tiny_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_csv(tmp_path / "in.csv", ["text", "stage"], [["a", "契約前"], ["b", "later"]],
                    "utf-8")
    assert score(src, "--model", tiny_model, "--stage-column", "stage") == 2
    assert "'later'" in capsys.readouterr().err and no_leftovers(tmp_path, src)


def test_examples_score(tmp_path: Path, tiny_model: Path) -> None:
    src = EXAMPLES / "postings_utf8_bom.csv"
    summary = score_file(src, tmp_path / "p.csv", model=tiny_model)
    assert isinstance(summary, ScoreSummary)
    assert summary.text_columns == ("タイトル", "本文") and summary.rows_read == 30
    assert summary.encoding == "UTF-8 with BOM" and summary.seconds > 0
    with src.open(encoding="utf-8-sig", newline="") as fh:
        original = list(csv.reader(fh))
    assert [r[:6] for r in read_csv(tmp_path / "p.csv", "utf-8-sig")] == original


# -- interrupted runs ------------------------------------------------------------------------


def test_failure_midway_leaves_no_output(
    tmp_path: Path, tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = write_csv(tmp_path / "in.csv", ["id", "text"], _many_rows(40), "utf-8")
    calls = []
    real_write = batch._Output.write

    def failing_write(self: batch._Output, chunk: batch.Chunk, results: list) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # like Ctrl-C while writing
        real_write(self, chunk, results)

    monkeypatch.setattr(batch._Output, "write", failing_write)
    assert score(src, "--model", tiny_model, "--chunksize", "5", "--jobs", "2") == 1
    assert no_leftovers(tmp_path, src)


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="needs fork workers")
def test_failure_inside_a_worker_leaves_no_output(
    tmp_path: Path, tiny_model: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    src = write_csv(tmp_path / "in.csv", ["id", "text"], _many_rows(40), "utf-8")
    real = batch._result

    def failing_result(p: object) -> batch.Result:
        if os.getpid() != parent:
            raise RuntimeError("worker broke")
        return real(p)

    parent = os.getpid()
    monkeypatch.setattr(batch, "_result", failing_result)
    assert score(src, "--model", tiny_model, "--chunksize", "5", "--jobs", "2") == 1
    assert "worker broke" in capsys.readouterr().err
    assert no_leftovers(tmp_path, src)


def test_sigterm_leaves_no_output(tmp_path: Path, tiny_model: Path) -> None:
    src = write_csv(tmp_path / "in.csv", ["id", "text"], _many_rows(20_000), "utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jobrisk", "score", str(src), "--model", str(tiny_model),
         "--chunksize", "50", "--jobs", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not any(p.suffix == ".tmp" for p in tmp_path.iterdir()):
        assert proc.poll() is None and time.monotonic() < deadline, "no temp file appeared"
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err.decode()
    assert "interrupted" in err.decode()
    assert no_leftovers(tmp_path, src)


# -- the fast paths batch scoring relies on give exactly the reference results ----------------


def _edge_texts() -> list[str]:
    with (EXAMPLES / "postings_utf8_bom.csv").open(encoding="utf-8-sig", newline="") as fh:
        texts = [row["本文"] for row in csv.DictReader(fh)]
    return [*texts, *(r[2] for r in ROWS), "", " ", "a", "  \n\t x  y", "😀🙏 LINE", "\x00",
            "ﾗｲﾝ追加してね", "L\u200bI\u200bN\u200bE", "ＬⅠＮＥ", "e\u0301", "𠮷野家 ID: x_1"]


def test_fast_fold_equals_per_character_fold() -> None:
    from jobrisk.normalize import _fold_batch, _fold_chars_slow

    texts = _edge_texts()
    for text, fast in zip(texts, _fold_batch(texts), strict=True):
        slow = _fold_chars_slow(text)
        assert (fast.text, *fast.offsets()) == (slow.text, slow.starts, slow.ends)


def test_fast_transform_equals_sklearn(tiny_model: Path) -> None:
    import jobrisk
    from jobrisk.features import fast_transform

    features = jobrisk.load_model(tiny_model).pipeline.named_steps["features"]
    texts = _edge_texts()
    for vec in (features.word_, features.context_):
        for fn in (vec.transform, lambda docs, v=vec: fast_transform(v, docs)):
            with pytest.raises(ValueError):  # no documents: sklearn refuses, and so does this
                fn([])
        for docs in (texts, texts[:1], ["", ""]):
            a, b = vec.transform(docs), fast_transform(vec, docs)
            assert type(a) is type(b) and a.dtype == b.dtype and a.shape == b.shape
            assert (a.indptr == b.indptr).all() and (a.indices == b.indices).all()
            assert (a.data == b.data).all()


def test_calibrated_scores_equal_sklearn(tiny_model: Path) -> None:
    import jobrisk
    from jobrisk.model import _sigmoid_folds

    model = jobrisk.load_model(tiny_model)
    assert _sigmoid_folds(model.pipeline.steps[-1][1]) is not None  # the one-product path runs
    texts = [t for t in _edge_texts() if t.strip()]
    expected = model.pipeline.predict_proba(texts)[:, 1]
    assert np.array_equal(model.predict_proba(texts), expected)
