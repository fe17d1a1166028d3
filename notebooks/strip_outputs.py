"""Strip outputs from notebooks before committing them.

    python notebooks/strip_outputs.py            # strip notebooks/*.ipynb in place
    python notebooks/strip_outputs.py --check    # exit 1 if any notebook still has outputs
    python notebooks/strip_outputs.py a.ipynb b.ipynb

Removes outputs, execution counts and per-cell execution metadata, and reduces the notebook's
``language_info`` to the language name, so that re-running a notebook leaves no diff.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent


def strip(nb: nbformat.NotebookNode) -> bool:
    """Strip ``nb`` in place; True when anything changed."""
    changed = False
    for cell in nb.cells:
        if cell.metadata.pop("execution", None) is not None:
            changed = True
        if cell.cell_type != "code":
            continue
        if cell.outputs or cell.execution_count is not None:
            cell.outputs = []
            cell.execution_count = None
            changed = True
    info = nb.metadata.get("language_info")
    if info is not None and set(info) != {"name"}:
        nb.metadata["language_info"] = {"name": info.get("name", "python")}
        changed = True
    if nb.metadata.pop("widgets", None) is not None:
        changed = True
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: notebooks/*.ipynb)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook has outputs")
    args = parser.parse_args(argv)
    paths = args.paths or sorted(HERE.glob("*.ipynb"))
    dirty = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if not strip(nb):
            continue
        dirty.append(path)
        if not args.check:
            nbformat.validate(nb)
            nbformat.write(nb, path)
    for path in dirty:
        print(f"{'has outputs' if args.check else 'stripped'}: {path}")
    return 1 if args.check and dirty else 0


if __name__ == "__main__":
    sys.exit(main())
