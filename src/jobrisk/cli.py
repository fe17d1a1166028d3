"""The ``jobrisk`` command: train, evaluate, score, explain.

Exit codes: 0 done, 1 runtime failure, 2 bad usage or input.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .data import DataError
from .persist import ModelFileError
from .policy import STAGE_NAMES

__all__ = ["main"]

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad usage or input: exit code 2."""


def _cmd_train(args: argparse.Namespace) -> int:
    from .train import train_model

    model, report = train_model(
        args.data, args.output, text_column=args.text_column, label_column=args.label_column,
        seed=args.seed, precision_target=args.precision_target,
    )
    m, k = report["model"], report["keyword_filter"]
    print(f"wrote {args.output} and {Path(args.output).with_suffix('.md')}")
    print(f"threshold {model.threshold:.4f} (precision target {args.precision_target})")
    print(
        f"held-out: precision {m['precision']:.3f} recall {m['recall']:.3f} F1 {m['f1']:.3f} "
        f"PR-AUC {m.get('pr_auc', float('nan')):.3f}  | keyword filter F1 {k['f1']:.3f}"
    )
    return EXIT_OK


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from .api import load_model
    from .data import read_labeled
    from .evaluate import evaluate_frame, format_report, write_plots

    model = load_model(args.model)
    frame = read_labeled(args.data, args.text_column, args.label_column)
    if args.split != "all":
        if "split" not in frame.columns:
            raise UsageError(f"--split {args.split}: {args.data} has no 'split' column; use --split all")
        frame = frame[frame["split"] == args.split]
        if frame.empty:
            raise UsageError(f"{args.data} has no rows with split == {args.split!r}")
    report = evaluate_frame(model, frame)
    print(f"{args.data} ({args.split}, {len(frame)} rows), model {model.metadata.get('path', '')}")
    print(format_report(report))
    if args.plots:
        for path in write_plots(report, frame["label"].to_numpy(), args.plots):
            print(f"wrote {path}")
    if args.json:
        clean = {k: v for k, v in report.items() if not k.startswith("_")}
        Path(args.json).write_text(json.dumps(clean, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"wrote {args.json}")
    return EXIT_OK


def _cmd_score(args: argparse.Namespace) -> int:
    from .batch import run_score

    return run_score(args)


def _cmd_explain(args: argparse.Namespace) -> int:
    from .api import load_model
    from .explain import render_explanation

    if args.file:
        text = Path(args.file).read_text(encoding="utf-8-sig")
    elif args.text is not None:
        text = args.text
    elif not sys.stdin.isatty():
        text = sys.stdin.read()
    else:
        raise UsageError("give TEXT, --file PATH, or pipe text on standard input")
    model = load_model(args.model, policy=args.policy)
    result = model.explain(text, top=args.top, stage=args.stage)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
        print(render_explanation(result, color=color))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``jobrisk`` command."""
    parser = argparse.ArgumentParser(
        prog="jobrisk",
        description="Flag Japanese job postings and messages that move contact off the platform.",
    )
    parser.add_argument("--version", action="version", version=f"jobrisk {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("train", help="train a model from a labeled CSV",
                       description="Train a model, pick its threshold on the validation split, "
                       "write the model (.skops) and its model card (.md).")
    p.add_argument("--data", required=True, help="labeled CSV (UTF-8) with text and 0/1 label")
    p.add_argument("--text-column", default="text")
    p.add_argument("--label-column", default="label")
    p.add_argument("--output", required=True, help="model file to write, e.g. models/my.skops")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--precision-target", type=float, default=0.95,
                   help="validation precision the threshold must reach (default 0.95)")
    p.set_defaults(func=_cmd_train)

    p = sub.add_parser("evaluate", help="metrics of a model on a labeled CSV",
                       description="Precision, recall, F1, PR-AUC, ROC-AUC, confusion matrix, per "
                       "slice, beside a plain NG-word keyword filter.")
    p.add_argument("--data", required=True, help="labeled CSV (UTF-8)")
    p.add_argument("--model", default=None, help="model file (default: the shipped model)")
    p.add_argument("--text-column", default="text")
    p.add_argument("--label-column", default="label")
    p.add_argument("--split", default="test", choices=["train", "valid", "test", "all"],
                   help="rows of this split only (default test; 'all' for every row)")
    p.add_argument("--json", default=None, metavar="OUT", help="also write the report as JSON")
    p.add_argument("--plots", default=None, metavar="DIR", help="write PR curve and confusion PNGs")
    p.set_defaults(func=_cmd_evaluate)

    p = sub.add_parser("score", help="add risk columns to a CSV / TSV / JSONL export",
                       description="Score every row of an export and write it back with "
                       "risk_score, risk_flag, risk_channels, risk_evidence and risk_severity.")
    from .batch import add_score_arguments

    add_score_arguments(p)
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser("explain", help="show why a text is (not) flagged",
                       description="Print the text with its evidence highlighted, the score, "
                       "threshold, channels, severity and the strongest features each way.")
    p.add_argument("text", nargs="?", default=None, help="the text (or use --file / stdin)")
    p.add_argument("--file", default=None, help="read the text from a UTF-8 file")
    p.add_argument("--model", default=None, help="model file (default: the shipped model)")
    p.add_argument("--policy", default=None, help="TOML file overriding the severity table")
    p.add_argument("--stage", default=None, choices=STAGE_NAMES)
    p.add_argument("--top", type=int, default=10, help="features to list each way (default 10)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--color", default="auto", choices=["auto", "always", "never"])
    p.set_defaults(func=_cmd_explain)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="jobrisk: %(message)s",
    )
    try:
        return int(args.func(args))
    except (UsageError, DataError, ModelFileError, FileNotFoundError, ValueError, TypeError) as exc:
        print(f"jobrisk {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"jobrisk {args.command}: interrupted", file=sys.stderr)
        return EXIT_FAIL
    except Exception as exc:
        print(f"jobrisk {args.command}: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAIL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
