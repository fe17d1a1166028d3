"""Benchmark of ``jobrisk score`` against the floor of raw fugashi tokenization (not a test).

    python benchmarks/bench_score.py                 # 20,000 rows; RSS at 20k and 100k rows
    python benchmarks/bench_score.py 50000           # 50,000 rows; RSS at 50k and 250k rows
    python benchmarks/bench_score.py --large         # RSS at 100k and 1,000,000 rows
    python benchmarks/bench_score.py --model models/default.skops

In one run it measures, on the same generated rows (realistic Japanese postings and platform
messages, some with off-platform solicitations, written from the sentence bank below):

1. raw tokenization: ``fugashi.Tagger().parse(text)`` of every text, in this process (the floor);
2. ``jobrisk score`` end to end in a child process with ``--jobs 1`` and with all cores, and a
   100-row run for the fixed cost of a run (interpreter start, imports, model load);
3. peak memory in separate runs with all cores: the largest single process and the sums over
   the process tree, sampled from ``/proc`` (the sampling costs CPU, so the speed runs go
   without it).
4. ``jobrisk score --jobs 1`` in this process on 2,000-row slices, each against raw tokenization
   of the same texts measured just before it (the scoring path without start-up, I/O included),
   and ``predict()`` against raw tokenization, measured alternately (best of 5 each): the
   steadiest ratios on a shared machine.

Other load on the machine moves its speed by tens of percent within minutes, so the speed runs
come in rounds made back to back (raw tokenization, the fixed cost, ``--jobs 1``, ``--jobs N``);
each round's ratios use only its own runs, and the median round is reported with the range.

Rates: *end-to-end* is rows / wall seconds of the child process; *marginal* subtracts the fixed
cost (the steady-state speed that matters for big files); *per CPU s* divides by the CPU time
of the child and its workers (robust when other processes share the machine); *reported* is
what ``jobrisk score`` prints (model load included, interpreter start not). The model is
``--model``, else the shipped default model, else one trained here on generated labeled rows.
"""

from __future__ import annotations

import argparse
import csv
import functools
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

# -- a sentence bank (written for this benchmark; contact data is fictitious) -----------------

TITLES = [
    "ECサイトの商品説明文作成", "YouTube動画の編集", "LINEスタンプ制作", "ロゴデザイン募集",
    "データ入力（在宅）", "ブログ記事の執筆", "英語→日本語の翻訳", "Webサイトのバナー制作",
    "アンケート回答", "SNS運用アシスタント", "会社案内の校正", "文字起こし（Zoom録画）",
    "LINE公式アカウント運用代行", "Excel関数の作成", "簡単な在宅ワーク", "イラスト制作",
]
POSTING = [
    "雑貨を扱うECサイトの商品説明文を20本お願いします。",
    "1本あたり300文字程度で、参考になる記事はこちらからお送りします。",
    "納期は契約から2週間を予定しています。",
    "修正は2回まで対応をお願いします。",
    "未経験の方も歓迎します。丁寧にサポートいたします。",
    "過去の実績がわかるポートフォリオを提案時に添付してください。",
    "YouTube用の動画編集をお願いします。カット、テロップ、BGM挿入まで含みます。",
    "素材はギガファイル便でお渡しします。",
    "オリジナルキャラクターのLINEスタンプを40個制作していただきます。",
    "オンラインで完結するお仕事です。",
    "作業時間は1日1〜2時間程度を想定しています。",
    "ガイドラインに沿って作業していただきます。",
    "生産ラインの改善提案資料をPowerPointで15枚ほど作成してください。",
    "継続してお願いできる方を優先します。",
    "報酬は検収後、サイトの仮払いから支払われます。",
    "商品ラインナップの紹介文を10本書いていただきます。",
    "専門用語集と過去の翻訳例はこちらで用意します。",
    "文字単価は1.5円からスタートし、実績に応じて見直します。",
    "Zoom録画（1本30分程度）の文字起こしです。ケバ取りありでお願いします。",
    "やり取りはすべてこちらのメッセージ機能で行います。",
    "外部の連絡先の交換は規約で禁止されていますのでご注意ください。",
    "Discord Botのコマンド追加とログ出力機能の開発をお願いします。",
    "売上集計表にVLOOKUPとSUMIFSの関数を組み込んでください。",
    "髙橋様（仮名）へのインタビュー記事を5,000文字程度でまとめてください。",
    "ご不明点は、応募前でもお気軽にメッセージでご質問ください。",
]
MESSAGE = [
    "はじめまして。ご提案ありがとうございます。",
    "ポートフォリオを拝見しました。ぜひお願いしたいと考えています。",
    "仮払いが完了しましたので、作業を開始してください。",
    "納品いたしました。ご確認のほど、よろしくお願いいたします。",
    "検収いたしました。丁寧なお仕事ありがとうございました。",
    "修正点を3つお送りします。ご確認ください。",
    "作業の進捗はいかがでしょうか。中間報告をいただけると助かります。",
    "承知しました。明日の夕方までに初稿をお送りします。",
    "LINEスタンプのラフ、とても良いです！この方向で進めてください。",
    "面談はこちらのメッセージ機能のビデオ通話でお願いします。",
    "LINEの登録は必須でしょうか？規約上、外部での連絡はできかねます。",
    "追加の作業をお願いしたいので、別途契約を作成しますね。",
    "ご提示の報酬30,000円、納期2週間で承ります。",
    "山﨑様の原稿を先に仕上げます。①と②の順で進めます。",
]
SOLICITATION = [
    "詳細はLINEでお伝えしますので、ID: example_recruit を追加してください。",
    "応募はＬ　Ｉ　Ｎ　Ｅからのみ受け付けています。IDは sample_job88 です。",
    "詳しい内容は、らいんで説明します！「sample_side」で検索して友だち追加してね。",
    "手数料がもったいないので、直接契約にしませんか？連絡先は 090-0000-1234 です。",
    "今後の細かい連絡はChatworkでお願いできますか？招待リンクをお送りします。",
    "詳細はメールでお伝えします。アドレスは info あっと example どっと com です。",
    "ご連絡は直接 recruit@example.com までメールしてください。",
    "回答はこちらのGoogleフォームからご記入ください https://forms.gle/example0001",
    "まずはTelegramで条件をお送りします。@example_tg_bot を検索して登録してください。",
    "不明点は 〇九〇ー〇〇〇〇ー一二三四 までお電話ください。",
    "登録はこちら → L1NE ID：example.work ※プロフィールのリンクからでもOKです",
    "応募は緑のアプリでお願いします。IDは sample と _monitor をつなげたものです。",
    "ｲﾝｽﾀのDMで続きを話しましょう！アカウントは @sample_shop です",
    "次回からはサイトを通さずに、直接お振込みでお支払いします。口座を教えてください。",
    "Slackのワークスペースに招待しますので、メールアドレスを教えてください。",
    "Ｄｉｓｃｏｒｄのサーバーに参加してください。招待リンク：discord.gg/example77",
]

HEADER = ["id", "種別", "タイトル", "本文", "投稿日"]


def make_row(rng: random.Random, i: int) -> tuple[list[str], int]:
    """One generated row and its label (1: asks to move contact off the platform)."""
    posting = rng.random() < 0.5
    bank = POSTING if posting else MESSAGE
    sentences = rng.sample(bank, rng.randint(2, 5))
    label = int(rng.random() < 0.25)
    if label:
        sentences.insert(rng.randint(0, len(sentences)), rng.choice(SOLICITATION))
    sep = "\n" if rng.random() < 0.3 else ""
    title = rng.choice(TITLES) if posting else ""
    day = f"2026-11-{1 + i % 28:02d}"
    return [f"R{i:07d}", "案件" if posting else "メッセージ", title, sep.join(sentences), day], label


def write_rows(path: Path, n: int, seed: int = 0) -> None:
    """Write ``n`` generated rows as UTF-8 CSV, streaming (memory flat)."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i in range(n):
            writer.writerow(make_row(rng, i)[0])


def texts_of(path: Path) -> list[str]:
    """What ``jobrisk score`` scores for each row: タイトル and 本文 joined with a newline."""
    with path.open(encoding="utf-8", newline="") as fh:
        return ["\n".join(p for p in (r["タイトル"], r["本文"]) if p.strip())
                for r in csv.DictReader(fh)]


# -- measurements ----------------------------------------------------------------------------


@functools.cache
def _raw_tagger() -> Any:
    """The benchmark's own Tagger, loaded once (every raw-tokenization measurement reuses it)."""
    import fugashi

    return fugashi.Tagger()


def raw_tokenization(texts: list[str]) -> tuple[float, float]:
    """Rows per wall second and per CPU second of ``fugashi.Tagger().parse`` over ``texts``."""
    tagger = _raw_tagger()
    for text in texts[:200]:
        tagger.parse(text)
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        tagger.parse(text)
    return len(texts) / (time.perf_counter() - wall), len(texts) / (time.process_time() - cpu)


def interleaved_predict(texts: list[str], model: Path, rounds: int = 5) -> tuple[float, float]:
    """Best seconds per text of ``predict()`` and of raw tokenization, measured alternately in
    this process so that both see the same load (no file I/O, no start-up)."""
    import jobrisk

    scorer, tagger = jobrisk.load_model(model), _raw_tagger()
    scorer.predict(texts[:200])
    best_predict = best_raw = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        scorer.predict(texts)
        best_predict = min(best_predict, time.perf_counter() - started)
        started = time.perf_counter()
        for text in texts:
            tagger.parse(text)
        best_raw = min(best_raw, time.perf_counter() - started)
    return best_predict / len(texts), best_raw / len(texts)


def cheaper_tokenizations(texts: list[str], rounds: int = 5) -> tuple[float, float]:
    """Best seconds per text of two cheaper ways to get tokens from fugashi than the baseline's
    full-analysis ``parse``: the node API (``[w.surface for w in tagger(text)]``) and MeCab asked
    for surfaces only (``Tagger("-Owakati").parse(text).split()``, what jobrisk uses)."""
    import fugashi

    tagger, wakati = _raw_tagger(), fugashi.Tagger("-Owakati")
    best_nodes = best_wakati = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for text in texts:
            [word.surface for word in tagger(text)]
        best_nodes = min(best_nodes, time.perf_counter() - started)
        started = time.perf_counter()
        for text in texts:
            wakati.parse(text).split()
        best_wakati = min(best_wakati, time.perf_counter() - started)
    return best_nodes / len(texts), best_wakati / len(texts)


def interleaved_score(data: Path, model: Path, folder: Path, size: int = 2000) -> list[float]:
    """``jobrisk score --jobs 1`` run in this process (model loaded once: no start-up) on slices
    of ``size`` rows, each slice's rate divided by raw tokenization of the same texts measured
    right before it: one ratio per slice, from measurements seconds apart."""
    from jobrisk.batch import score_file

    with data.open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    ratios = []
    for start in range(0, len(rows) - size + 1, size):
        part = folder / "slice.csv"
        with part.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows[start : start + size])
        texts = texts_of(part)
        raw, _ = raw_tokenization(texts)
        score_file(part, folder / "slice.out.csv", model=model, jobs=1)  # the first loads the model
        started = time.perf_counter()
        score_file(part, folder / "slice.out.csv", model=model, jobs=1)
        ratios.append(size / (time.perf_counter() - started) / raw)
    return ratios


def _tree_memory_kb(pid: int) -> tuple[int, int, int]:
    """Sums of RSS and of PSS (kB) over ``pid`` and its descendants, and the largest single RSS,
    from /proc.

    RSS counts pages shared between the parent and its forked workers once per process; PSS
    splits them between the processes that share them, so its sum is the memory really used.
    """
    rss = pss = largest = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                        largest = max(largest, int(line.split()[1]))
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return rss, pss, largest


def run_score(data: Path, model: Path, jobs: int, out: Path, tree: bool = False) -> dict[str, float]:
    """Run ``jobrisk score`` in a child process: wall and CPU seconds (workers included) and the
    rate it reports; with ``tree``, also the peak RSS of its largest process and the peak RSS and
    PSS sums over its process tree (sampled from /proc, which costs CPU: not for speed runs).

    The child's own ``ru_maxrss`` is no measure: at exec a process keeps the high-water mark of
    the memory it was forked with, i.e. of this benchmark process."""
    cmd = [sys.executable, "-m", "jobrisk", "score", str(data), "-o", str(out), "--model",
           str(model), "--jobs", str(jobs)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0, 0, 0]  # RSS and PSS sums over the process tree, largest process RSS
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[:] = map(max, peak, _tree_memory_kb(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    if tree:
        sampler.start()
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    if tree:
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"jobrisk score failed ({proc.returncode}):\n{stderr}")
    reported = re.search(r"rows per second\s+([\d,.]+)", stderr)
    rows = re.search(r"rows read\s+([\d,]+)", stderr)
    return {
        "rows": int(rows.group(1).replace(",", "")) if rows else 0,
        "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
        "rate_reported": float(reported.group(1).replace(",", "")) if reported else 0.0,
        "rss_max_mb": peak[2] / 1024, "rss_tree_mb": peak[0] / 1024, "pss_tree_mb": peak[1] / 1024,
    }


def marginal(run: dict[str, float], fixed: dict[str, float], key: str) -> float:
    """Rows per second beyond the fixed cost (interpreter start, imports, model load)."""
    return (run["rows"] - fixed["rows"]) / max(run[key] - fixed[key], 1e-9)


def default_or_trained_model(folder: Path, model: str | None) -> Path:
    """``model``, else the shipped default model, else one trained on generated rows."""
    if model:
        return Path(model)
    import jobrisk

    try:
        return jobrisk.default_model_path()
    except FileNotFoundError:
        pass
    from jobrisk.train import train_model

    rng = random.Random(1)
    labeled = folder / "labeled.csv"
    with labeled.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label"])
        for i in range(3000):
            row, label = make_row(rng, i)
            writer.writerow(["\n".join(p for p in (row[2], row[3]) if p), label])
    path = folder / "bench.skops"
    print("no default model: training one on 3,000 generated rows ...", flush=True)
    train_model(labeled, path, seed=0)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", nargs="?", type=int, default=20_000, help="rows (default 20000)")
    parser.add_argument("--model", default=None, help="model file (default: the shipped one)")
    parser.add_argument("--large", action="store_true",
                        help="peak RSS at 100,000 and 1,000,000 rows")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of speed runs (default 3)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="the 'all jobs' run (default: all cores)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jobrisk-bench-") as tmp:
        folder = Path(tmp)
        model = default_or_trained_model(folder, args.model)
        data = folder / "rows.csv"
        write_rows(data, args.rows)
        texts = texts_of(data)
        chars = sum(map(len, texts)) / len(texts)
        print(f"{args.rows:,} rows, {chars:.0f} characters per text on average; model {model}")
        print(f"{os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.2f}")

        small = folder / "small.csv"
        write_rows(small, 100, seed=3)
        # Other load on this shared machine moves its speed by tens of percent within minutes, so
        # the ratios come from rounds of runs made back to back (raw tokenization, the fixed
        # cost, --jobs 1, --jobs N), each round's ratios from its own runs; the median round
        # is reported, with the range over rounds.
        rounds = []
        for _ in range(args.rounds):
            raw_wall, raw_cpu = raw_tokenization(texts)
            fixed = run_score(small, model, 1, folder / "small.out.csv")
            one = run_score(data, model, 1, folder / "out1.csv")
            many = run_score(data, model, args.jobs, folder / "outn.csv")
            rounds.append({
                "raw_wall": raw_wall, "raw_cpu": raw_cpu, "fixed": fixed, "one": one, "many": many,
                "single": marginal(one, fixed, "wall") / raw_wall,
                "single_cpu": marginal(one, fixed, "cpu") / raw_cpu,
                "single_e2e": one["rows"] / one["wall"] / raw_wall,
                "all": marginal(many, fixed, "wall") / marginal(one, fixed, "wall"),
                "all_e2e": one["wall"] / many["wall"],
            })
        mid = sorted(rounds, key=lambda r: r["single"])[len(rounds) // 2]
        fixed, one, many = mid["fixed"], mid["one"], mid["many"]
        print(f"fixed cost of a run (100 rows): {fixed['wall']:.1f} s wall, {fixed['cpu']:.1f} s CPU"
              f"   (median round of {len(rounds)})")
        print(f"\n{'rows per second':30}{'end-to-end':>12}{'marginal':>10}{'per CPU s':>11}{'reported':>10}")
        print(f"{'raw fugashi tokenization':30}{mid['raw_wall']:>12,.0f}{mid['raw_wall']:>10,.0f}"
              f"{mid['raw_cpu']:>11,.0f}")
        runs = (("jobrisk score --jobs 1", one), (f"jobrisk score --jobs {args.jobs}", many))
        for label, r in runs:
            print(f"{label:30}{r['rows'] / r['wall']:>12,.0f}{marginal(r, fixed, 'wall'):>10,.0f}"
                  f"{marginal(r, fixed, 'cpu'):>11,.0f}{r['rate_reported']:>10,.0f}")

        def spread(key: str) -> str:
            values = sorted(r[key] for r in rounds)
            middle = values[len(values) // 2]
            return f"{middle:.2f} [{values[0]:.2f}-{values[-1]:.2f}]"

        print(f"\nratios, median [range] over {len(rounds)} rounds:")
        print(f"single-job / raw tokenization: {spread('single')} marginal wall, "
              f"{spread('single_cpu')} per CPU second, {spread('single_e2e')} end-to-end   target >= 0.6")
        print(f"all-jobs / single-job:         {spread('all')} marginal wall, "
              f"{spread('all_e2e')} end-to-end   target >= 1.6")

        sizes = (100_000, 1_000_000) if args.large else (args.rows, args.rows * 5)
        print(f"\npeak RSS with --jobs {args.jobs} (flat is the goal):")
        for n in sizes:
            if n == args.rows:
                r = run_score(data, model, args.jobs, folder / "outn.csv", tree=True)
            else:
                big = folder / f"rows{n}.csv"
                write_rows(big, n, seed=2)
                r = run_score(big, model, args.jobs, folder / "outbig.csv", tree=True)
                big.unlink()
            print(f"  {n:>10,} rows: largest process {r['rss_max_mb']:.0f} MB RSS; process tree "
                  f"{r['rss_tree_mb']:.0f} MB RSS, {r['pss_tree_mb']:.0f} MB PSS "
                  f"({r['rows'] / r['wall']:,.0f} rows/s end-to-end)")
        # last: with a model loaded here, children forked from this process would start big
        slices = sorted(interleaved_score(data, model, folder))
        print(f"\njobrisk score --jobs 1 in this process (no start-up), each {2000:,}-row slice against raw "
              f"tokenization of the same texts just before it: {slices[len(slices) // 2]:.2f} median "
              f"[{slices[0]:.2f}-{slices[-1]:.2f}] over {len(slices)} slices   target >= 0.6")
        inproc = interleaved_predict(texts[:3000], model)
        print(f"\npredict() in this process, interleaved with raw tokenization on the same 3,000 texts "
              f"(best of 5 each): {inproc[0] * 1e6:.0f} us vs {inproc[1] * 1e6:.0f} us per text = "
              f"{inproc[1] / inproc[0]:.2f} of raw tokenization speed")
        nodes, wakati = cheaper_tokenizations(texts[:3000])
        print(f"cheaper tokenizations of the same texts (best of 5): fugashi node API {nodes * 1e6:.0f} us, "
              f"surfaces only (-Owakati) {wakati * 1e6:.0f} us per text; predict() = "
              f"{nodes / inproc[0]:.2f} and {wakati / inproc[0]:.2f} of their speed")
        print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
