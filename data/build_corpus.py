"""Build data/corpus.csv from the hand-written sources in data/sources/ (seeded, byte for byte).

    python data/build_corpus.py            # writes data/corpus.csv
    python data/build_corpus.py --output /tmp/corpus.csv

Three sources (column ``source``):

- handwritten: records written one by one (data/sources/handwritten/*.jsonl). Each file is one
  ``group`` (one writer's batch), so a phrasing habit never crosses splits.
- composed: postings and messages assembled from hand-written part banks
  (data/sources/parts/*.jsonl). Every part is assigned to one split, and a composed record uses
  only parts of its own split; its ``group`` is its key part (the solicitation or hard-negative
  sentence, else the job body).
- augmented: obfuscated copies of label-1 records made by ``jobrisk.augment`` (and width-variant
  copies of some hard negatives); same group and split as their source. The techniques in
  ``TEST_ONLY_TECHNIQUES`` are used in the test split only.

Splits: whole handwritten files and parts are drawn for test and valid by a seeded shuffle.
Afterwards exact duplicates are dropped, and any valid / test record that is a duplicate after
normalization or a near duplicate (cosine >= 0.9 on character 3-grams) of a record in an earlier split is dropped.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from jobrisk.augment import TECHNIQUES, obfuscate
from jobrisk.normalize import normalize_text

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
SEED = 20261128
SPLITS = ("train", "valid", "test")
TEST_ONLY_TECHNIQUES = ("circled_letters", "math_letters", "cyrillic_lookalike", "mixed_width")
TRAIN_TECHNIQUES = tuple(t for t in TECHNIQUES if t not in TEST_ONLY_TECHNIQUES)
NEAR_DUPLICATE = 0.9
COLUMNS = [
    "id", "kind", "text", "label", "channels", "obfuscated", "hard_negative", "source", "group",
    "split", "techniques", "theme", "register", "stage", "category",
]
COMPOSED_COUNTS = {  # records to compose, in all splits together (each split gets its share)
    "posting_pos": 800, "message_pos": 800, "posting_neg": 1200, "posting_hard": 1300,
    "message_neg": 1000, "message_hard": 440,
}
MAX_KEY_USES = 4  # a solicitation / hard-negative sentence / body is the key part of at most 4 records
AUGMENT_SHARE = 0.45  # share of label-1 records that get one obfuscated copy
HARD_NEG_AUGMENT_SHARE = 0.25


def _read_jsonl(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{path}:{n}: invalid JSON: {exc}") from exc
    return rows


def _stable_split(key: str, valid: float = 0.15, test: float = 0.15) -> str:
    h = int(hashlib.sha256(f"{SEED}:{key}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if h < test else "valid" if h < test + valid else "train"


def _area(path: Path) -> str:
    return re.sub(r"_\d+$", "", path.stem)


def handwritten_records() -> list[dict]:
    """Handwritten records; whole files are assigned to splits, about 15% each to valid / test.

    Each area (file name without its number) is shuffled with its own seed, so adding an area
    leaves the splits of the others as they were.
    """
    files = sorted((SOURCES / "handwritten").glob("*.jsonl"))
    by_area: dict[str, list[Path]] = defaultdict(list)
    for f in files:
        by_area[_area(f)].append(f)
    split_of: dict[Path, str] = {}
    for area in sorted(by_area):
        group = sorted(by_area[area])
        order = group[:]
        random.Random(f"{SEED}:{area}").shuffle(order)
        n_hold = max(1, round(len(order) * 0.15)) if len(order) >= 3 else 0
        for i, f in enumerate(order):
            split_of[f] = "test" if i < n_hold else "valid" if i < 2 * n_hold else "train"
        if len(order) == 2:
            split_of[order[0]] = "test"
    out = []
    for f in files:
        for i, r in enumerate(_read_jsonl(f), 1):
            out.append(_record(
                id=f"hw-{f.stem}-{i:03d}", source="handwritten", group=f"hw:{f.stem}",
                split=split_of[f], **r,
            ))
    return out


def _record(**r: object) -> dict:
    channels = r.get("channels") or []
    if isinstance(channels, str):
        channels = [c for c in channels.split(";") if c]
    techniques = r.get("techniques") or []
    label = int(r["label"])
    return {
        "id": r["id"], "kind": r["kind"], "text": str(r["text"]).strip(), "label": label,
        "channels": ";".join(sorted(set(channels))) if label else "",
        "obfuscated": int(r.get("obfuscated", 0)) if label else 0,
        "hard_negative": int(r.get("hard_negative", 0)) if not label else 0,
        "source": r["source"], "group": r["group"], "split": r["split"],
        "techniques": ";".join(techniques) if label else "",
        "theme": r.get("theme", ""), "register": r.get("register", ""),
        "stage": r.get("stage", "none"), "category": r.get("category", ""),
    }


def load_parts() -> dict[str, list[dict]]:
    """Part banks by name (file stem without its number), each part tagged with its split."""
    banks: dict[str, list[dict]] = defaultdict(list)
    for f in sorted((SOURCES / "parts").glob("*.jsonl")):
        bank = _area(f)
        for r in _read_jsonl(f):
            r["split"] = _stable_split(f"{bank}:{r['id']}")
            banks[bank].append(r)
    return banks


_STEP_NUMBER = re.compile(r"^\s*(?:\d+[.．)）]|[①-⑳]|step\s*\d+[:：.]?|STEP\s*\d+[:：.]?|[（(]\d+[)）])\s*", re.I)
_NUMBERERS = [
    lambda i: f"{i}. ", lambda i: f"{'①②③④⑤⑥⑦⑧⑨'[i - 1]} ", lambda i: f"STEP{i}：",
    lambda i: f"({i}) ", lambda i: f"{i}）",
]


def _steps_block(steps_text: str, item: str, rng: random.Random) -> str:
    lines = [ln for ln in steps_text.split("\n") if ln.strip()]
    heading = []
    if lines and not _STEP_NUMBER.match(lines[0]) and len(lines) > 1:
        heading = [lines.pop(0)]
    items = [_STEP_NUMBER.sub("", ln) for ln in lines][:4] or ["本案件に応募"]
    items.insert(rng.randint(1, len(items)), _STEP_NUMBER.sub("", item))
    number = rng.choice(_NUMBERERS)
    return "\n".join(heading + [f"{number(i)}{s}" for i, s in enumerate(items, 1)])


def _pick(pool: list[dict], rng: random.Random) -> dict:
    return pool[rng.randrange(len(pool))]


def _fits(parts: list[dict], kind: str) -> list[dict]:
    return [p for p in parts if p.get("fits", "any") in (kind, "any")]


def composed_records(banks: dict[str, list[dict]], rng: random.Random) -> list[dict]:
    """Postings and messages assembled from the part banks, split by split."""
    out: list[dict] = []
    for split in SPLITS:
        bank = {name: [p for p in parts if p["split"] == split] for name, parts in banks.items()}
        share = {"train": 0.7, "valid": 0.15, "test": 0.15}[split]
        needed = ("openings_posting", "openings_message", "job_bodies", "closings", "solicitations",
                  "hard_negative_sentences", "steps_onplatform", "conditions", "message_bodies")
        if any(not bank.get(n) for n in needed):
            missing = [n for n in needed if not bank.get(n)]
            print(f"note: split {split} lacks parts {missing}; composing nothing for it", file=sys.stderr)
            continue
        closings_p = [c for c in bank["closings"] if c.get("kind") != "message"] or bank["closings"]
        closings_m = [c for c in bank["closings"] if c.get("kind") != "posting"] or bank["closings"]
        for task, total in COMPOSED_COUNTS.items():
            keys = _key_parts(task, bank)
            rng.shuffle(keys)
            count = min(int(total * share), MAX_KEY_USES * len(keys))
            for n in range(count):
                rec = _compose(task, keys[n % len(keys)], bank, closings_p, closings_m, rng)
                rec["id"] = f"cp-{split}-{task}-{n:04d}"
                rec["split"] = split
                out.append(_record(**rec))
        out.extend(_bare_records(bank, split))
    return out


def _bare_records(bank: dict, split: str) -> list[dict]:
    """Each solicitation and hard-negative sentence of the split once on its own, as a short
    message: the request alone must be enough, with no job text around it."""
    out = []
    for part in bank["solicitations"]:
        text = _STEP_NUMBER.sub("", part["text"]).strip()
        out.append(_record(
            id=f"cp-{split}-bare_pos-{part['id']}", kind="message", text=text, label=1,
            channels=part["channels"], obfuscated=part.get("obfuscated", 0),
            techniques=part.get("techniques", []), register=part.get("register", ""),
            theme="bare_solicitation", source="composed", group=f"so:{part['id']}", split=split,
        ))
    for part in bank["hard_negative_sentences"]:
        out.append(_record(
            id=f"cp-{split}-bare_hard-{part['id']}", kind="message", text=part["text"].strip(),
            label=0, hard_negative=1, theme=part.get("theme", ""), register="neutral",
            source="composed", group=f"hn:{part['id']}", split=split,
        ))
    return out


def _key_parts(task: str, bank: dict) -> list[dict]:
    """The parts that make each record of ``task`` different: each is used a bounded number of times."""
    kind = "posting" if task.startswith("posting") else "message"
    if task.endswith("pos"):
        return _fits(bank["solicitations"], kind) or list(bank["solicitations"])
    if task.endswith("hard"):
        return _fits(bank["hard_negative_sentences"], kind) or list(bank["hard_negative_sentences"])
    return list(bank["job_bodies"] if kind == "posting" else bank["message_bodies"])


def _compose(task: str, key: dict, bank: dict, closings_p: list, closings_m: list, rng: random.Random) -> dict:
    kind = "posting" if task.startswith("posting") else "message"
    label = 1 if task.endswith("pos") else 0
    hard = task.endswith("hard")
    if kind == "posting":
        opening = _pick(bank["openings_posting"], rng)
        body = key if task == "posting_neg" else _pick(bank["job_bodies"], rng)
        blocks = [opening["text"], body["text"]]
        if rng.random() < 0.6:
            blocks.append(_pick(bank["conditions"], rng)["text"])
        steps = _pick(bank["steps_onplatform"], rng)["text"]
        closing = _pick(closings_p, rng)["text"]
        category = body.get("category", "")
    else:
        opening = _pick(bank["openings_message"], rng)
        blocks = [opening["text"]]
        if task == "message_neg":
            blocks.append(key["text"])
        elif rng.random() < 0.7:
            blocks.append(_pick(bank["message_bodies"], rng)["text"])
        steps = ""
        closing = _pick(closings_m, rng)["text"]
        category = ""
    meta: dict = {"kind": kind, "label": label, "source": "composed", "category": category,
                  "stage": opening.get("stage", "none") if kind == "message" else "none"}
    if label:
        sol = key
        if kind == "posting" and sol.get("step") and rng.random() < 0.8:
            steps = _steps_block(steps, sol["text"], rng)
            blocks.append(steps)
        else:
            if steps:
                blocks.append(steps)
            blocks.insert(rng.randint(1, len(blocks)), sol["text"])
        meta.update(channels=sol["channels"], obfuscated=sol.get("obfuscated", 0),
                    techniques=sol.get("techniques", []), register=sol.get("register", ""),
                    theme="composed_solicitation", group=f"so:{sol['id']}")
    else:
        if steps:
            blocks.append(steps)
        if hard:
            hn = key
            blocks.insert(rng.randint(1, len(blocks)), hn["text"])
            meta.update(hard_negative=1, theme=hn.get("theme", ""), group=f"hn:{hn['id']}")
        else:
            meta.update(theme="ordinary", group=f"{'jb' if kind == 'posting' else 'mb'}:{key['id']}")
        meta.update(register="neutral")
    blocks.append(closing)
    sep = "\n" if kind == "message" else rng.choice(["\n", "\n\n"])
    return {"text": sep.join(b.strip() for b in blocks if b.strip()), **meta}


def augmented_records(records: list[dict]) -> list[dict]:
    """Obfuscated copies of label-1 records and width variants of some hard negatives. Each
    record draws from its own seeded generator, so adding records leaves the others' copies as
    they were."""
    out = []
    for r in records:
        rng = random.Random(f"{SEED}:augment:{r['id']}")
        if r["label"] == 1 and rng.random() < AUGMENT_SHARE:
            pool = list(TEST_ONLY_TECHNIQUES + TRAIN_TECHNIQUES) if r["split"] == "test" else list(TRAIN_TECHNIQUES)
            rng.shuffle(pool)
            for technique in pool:
                text = obfuscate(r["text"], technique, rng)
                if text is not None:
                    techniques = [t for t in r["techniques"].split(";") if t] + [technique]
                    out.append({**r, "id": f"{r['id']}-aug-{technique}", "text": text,
                                "obfuscated": 1, "techniques": ";".join(techniques),
                                "source": "augmented"})
                    break
        elif r["label"] == 0 and r["hard_negative"] == 1 and rng.random() < HARD_NEG_AUGMENT_SHARE:
            technique = rng.choice(["fullwidth", "halfwidth_kana", "katakana_reading"])
            text = obfuscate(r["text"], technique, rng)
            if text is not None:
                out.append({**r, "id": f"{r['id']}-var-{technique}", "text": text, "source": "augmented"})
    return out


def _dedupe_key(text: str) -> str:
    return re.sub(r"\s+", "", normalize_text(text))


def deduplicate(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop exact duplicates, then valid/test records that duplicate (after normalization) or
    near-duplicate a record of an earlier split."""
    frame = frame.assign(_key=frame["text"].map(_dedupe_key))
    order = frame["split"].map({"train": 0, "valid": 1, "test": 2})
    frame = frame.assign(_order=order).sort_values(["_order", "id"], kind="stable")
    frame = frame.drop_duplicates("text", keep="first")
    # an augmented copy normalizes back to its source: that is fine within a split, never across
    first_split = frame.groupby("_key")["_order"].transform("min")
    frame = frame[frame["_order"] == first_split]
    vec = TfidfVectorizer(analyzer="char", ngram_range=(3, 3), min_df=1, dtype=np.float32)
    matrix = vec.fit_transform(frame["_key"])
    split = frame["split"].to_numpy()
    drop = np.zeros(len(frame), dtype=bool)
    for later, earlier in (("valid", ("train",)), ("test", ("train", "valid"))):
        rows = np.flatnonzero(split == later)
        ref = np.flatnonzero(np.isin(split, earlier))
        if len(rows) == 0 or len(ref) == 0:
            continue
        sims = (matrix[rows] @ matrix[ref].T).max(axis=1).toarray().ravel()
        drop[rows[sims >= NEAR_DUPLICATE]] = True
    kept = frame[~drop]
    # a group never spans splits: keep each group in the split of its first record
    first = kept.groupby("group")["split"].transform("first")
    kept = kept[kept["split"] == first]
    return kept.drop(columns=["_key", "_order"])


def build(output: Path) -> pd.DataFrame:
    """Build the corpus and write it to ``output``; returns it."""
    rng = random.Random(SEED)
    records = handwritten_records()
    records += composed_records(load_parts(), rng)
    records += augmented_records(records)
    frame = pd.DataFrame(records, columns=COLUMNS)
    frame = deduplicate(frame)
    frame = frame.sort_values("id", kind="stable").reset_index(drop=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(output, index=False, encoding="utf-8", lineterminator="\n")
    return frame


def _table(counts: pd.Series, name: str) -> str:
    lines = [f"| {name} | records |", "|---|---|"]
    lines += [f"| {k or '(none)'} | {v} |" for k, v in counts.items()]
    return "\n".join(lines)


def _explode(series: pd.Series) -> pd.Series:
    return series.str.split(";").explode().loc[lambda s: s != ""].value_counts().sort_index()


def stats_markdown(frame: pd.DataFrame) -> str:
    """Composition tables of the corpus (written to data/corpus_stats.md by every build)."""
    pos = frame[frame["label"] == 1]
    neg = frame[frame["label"] == 0]
    hard = neg[neg["hard_negative"] == 1]
    kind_label = frame.groupby(["split", "kind", "label"]).size().unstack(fill_value=0)
    kl_lines = ["| split | kind | label 0 | label 1 |", "|---|---|---|---|"]
    kl_lines += [f"| {s} | {k} | {row.get(0, 0)} | {row.get(1, 0)} |" for (s, k), row in kind_label.iterrows()]
    parts = [
        "# Corpus composition\n",
        "Generated by `python data/build_corpus.py`; do not edit by hand.\n",
        f"{len(frame)} records; label 1: {len(pos)} ({len(pos) / len(frame):.1%}); "
        f"messages {(frame['kind'] == 'message').mean():.1%}, postings "
        f"{(frame['kind'] == 'posting').mean():.1%}; obfuscated positives "
        f"{(pos['obfuscated'] == 1).mean():.1%}; hard negatives among negatives "
        f"{len(hard) / max(1, len(neg)):.1%}; business register among positives "
        f"{(pos['register'] == 'business').mean():.1%}.\n",
        "## Split x kind x label\n",
        "\n".join(kl_lines),
        "",
        "## Source\n", _table(frame.groupby("source").size(), "source"), "",
        "## Channels (label 1)\n", _table(_explode(pos["channels"]), "channel"), "",
        "## Obfuscation techniques (label 1)\n", _table(_explode(pos["techniques"]), "technique"), "",
        "## Register (label 1)\n", _table(pos.groupby("register").size(), "register"), "",
        "## Hard-negative themes\n", _table(hard.groupby("theme").size(), "theme"), "",
        "## Categories of negative postings\n",
        _table(neg[neg["kind"] == "posting"].groupby("category").size(), "category"), "",
    ]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=HERE / "corpus.csv")
    args = parser.parse_args(argv)
    frame = build(args.output)
    if args.output == HERE / "corpus.csv":
        (HERE / "corpus_stats.md").write_text(stats_markdown(frame), encoding="utf-8")
    counts = frame.groupby(["split", "label"]).size().unstack(fill_value=0)
    print(f"wrote {args.output}: {len(frame)} records\n{counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
