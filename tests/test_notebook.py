"""notebooks/evaluation.ipynb runs headless on a sample of the test split and is committed without outputs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "evaluation.ipynb"
CORPUS = ROOT / "data" / "corpus.csv"
SAMPLE = 300


def _kernel_manager(kernel_dir: Path):
    """A kernel manager for a "python3" kernel that runs this interpreter (the venv's python).

    The kernelspec lives in a private directory, so neither a missing spec in a fresh venv nor a
    user-level "python3" spec pointing at another Python can change which interpreter runs.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3",
        "language": "python",
    }
    (kernel_dir / "python3").mkdir(parents=True)
    (kernel_dir / "python3" / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    specs = KernelSpecManager(kernel_dirs=[str(kernel_dir)], ensure_native_kernel=False)
    return AsyncKernelManager(kernel_name="python3", kernel_spec_manager=specs)


def _texts(cell) -> str:
    """All text of a code cell's outputs (streams, text/plain and text/html)."""
    parts = []
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            parts.append(out["text"])
        data = out.get("data", {})
        parts.extend(data.get(mime, "") for mime in ("text/plain", "text/html"))
    return "\n".join(parts)


def _tagged(nb, tag: str) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and tag in c.metadata.get("tags", [])]


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    if not CORPUS.is_file():
        pytest.skip(f"{CORPUS} is not in this checkout")
    tmp = tmp_path_factory.mktemp("notebook")
    with pytest.MonkeyPatch.context() as mp:
        # The kernel inherits this environment.
        mp.setenv("JOBRISK_NOTEBOOK_SAMPLE", str(SAMPLE))
        mp.delenv("JOBRISK_CORPUS", raising=False)
        mp.delenv("MPLBACKEND", raising=False)
        mp.setenv("IPYTHONDIR", str(tmp / "ipython"))
        mp.setenv("JUPYTER_RUNTIME_DIR", str(tmp / "runtime"))
        mp.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        nb = nbformat.read(NOTEBOOK, as_version=4)
        client = nbclient.NotebookClient(
            nb,
            km=_kernel_manager(tmp / "kernels"),
            timeout=120,
            resources={"metadata": {"path": str(NOTEBOOK.parent)}},
        )
        # Raises CellExecutionError if a cell fails; cleanup_kc shuts the kernel down either way
        # (nbclient leaves a kernel it did not create running otherwise).
        client.execute(cleanup_kc=True)
    return nb


def test_notebook_runs_on_a_sample(executed) -> None:
    outputs = [out for c in executed.cells if c.cell_type == "code" for out in c.outputs]
    assert not [out for out in outputs if out["output_type"] == "error"]
    assert all(c.execution_count is not None for c in executed.cells if c.cell_type == "code")

    (data_cell,) = _tagged(executed, "data")
    assert f"{SAMPLE} test rows" in _texts(data_cell), _texts(data_cell)

    assert any("image/png" in out.get("data", {}) for out in outputs), "no figure was drawn"

    tables = _tagged(executed, "slice-table")
    assert len(tables) == 4  # kind, channel, technique, hard-negative theme
    for cell in tables:
        text = _texts(cell)
        assert "<table" in text, cell.source
        assert "keyword filter" in text and "model" in text, cell.source

    errors = _tagged(executed, "errors")
    assert len(errors) == 2  # false negatives, false positives
    assert any("score " in _texts(cell) and "pushed up" in _texts(cell) for cell in errors)


def test_committed_notebook_has_no_outputs() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert nb["nbformat"] == 4
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code
    for cell in code:
        assert cell["outputs"] == [], cell["source"]
        assert cell["execution_count"] is None, cell["source"]
        assert "execution" not in cell.get("metadata", {}), cell["source"]
