"""Model files: train → save → load gives identical scores; unsafe or foreign files are refused."""

from __future__ import annotations

import io
import json
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest

import jobrisk
from jobrisk.persist import ModelFileError
from tests.conftest import NEGATIVES, POSITIVES


def test_round_trip_gives_identical_scores(tiny_model: Path, tmp_path: Path) -> None:
    model = jobrisk.load_model(tiny_model)
    copy = tmp_path / "copy.skops"
    model.save(copy)
    again = jobrisk.load_model(copy)
    texts = POSITIVES + NEGATIVES
    assert np.array_equal(model.predict_proba(texts), again.predict_proba(texts))
    assert again.threshold == model.threshold
    assert again.metadata["data"]["sha256"] == model.metadata["data"]["sha256"]


def test_model_with_word_bigrams_and_whole_text_character_view_round_trips(tmp_path: Path) -> None:
    # the default model has neither; a model trained with them keeps them
    from jobrisk.features import JobRiskFeatures, fast_transform
    from jobrisk.train import build_pipeline

    texts, labels = POSITIVES + NEGATIVES, [1] * len(POSITIVES) + [0] * len(NEGATIVES)
    pipeline = build_pipeline(min_df=1, n_rows=len(texts))
    pipeline.set_params(features=JobRiskFeatures(min_df=1, word_ngram_range=(1, 2), char_ngram_range=(2, 4)))
    pipeline.fit(texts, labels)
    model = jobrisk.JobRiskModel(pipeline, 0.5)
    features = model.pipeline.named_steps["features"]
    names = features.get_feature_names_out()
    assert any(n.startswith("char:") for n in names) and any(n.startswith("ctx:") for n in names)
    assert features.transform(texts).shape[1] == len(names)
    assert any(" " in n for n in names if n.startswith("word:"))  # word bigrams
    char = features.char_
    for vec in (features.word_, char):
        assert (fast_transform(vec, texts) != vec.transform(texts)).nnz == 0
    model.save(tmp_path / "char.skops")
    again = jobrisk.load_model(tmp_path / "char.skops")
    assert again.pipeline.named_steps["features"].char_.vocabulary_ == char.vocabulary_
    assert np.array_equal(model.predict_proba(texts), again.predict_proba(texts))

    default = JobRiskFeatures(min_df=1).fit(texts)
    assert default.char_ is None
    assert not any(n.startswith("char:") for n in default.get_feature_names_out())


def test_metadata_describes_the_model(tiny_model: Path) -> None:
    md = jobrisk.load_model(tiny_model).metadata
    assert md["versions"]["scikit-learn"]
    assert md["data"]["rows"] == len(POSITIVES) + len(NEGATIVES)
    assert 0 <= md["threshold"] <= 1
    assert "f1" in md["metrics_held_out"]
    assert tiny_model.with_suffix(".md").read_text(encoding="utf-8").startswith("# jobrisk model card")


def test_pickle_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.skops"
    path.write_bytes(pickle.dumps({"format": "jobrisk-model"}))
    with pytest.raises(ModelFileError, match="not a jobrisk model file"):
        jobrisk.load_model(path)


def _retarget(node: object) -> bool:
    """Point the first jobrisk object in a skops schema at os.system; True when done."""
    if isinstance(node, dict):
        if str(node.get("__module__", "")).startswith("jobrisk"):
            node["__module__"], node["__class__"] = "os", "system"
            return True
        return any(_retarget(v) for v in node.values())
    if isinstance(node, list):
        return any(_retarget(v) for v in node)
    return False


def test_tampered_file_with_foreign_type_is_refused(tiny_model: Path, tmp_path: Path) -> None:
    """Point one object of the archive at os.system: loading must refuse, not run it."""
    tampered = tmp_path / "tampered.skops"
    with zipfile.ZipFile(tiny_model) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "schema.json":
                schema = json.loads(data)
                assert _retarget(schema)
                data = json.dumps(schema).encode("utf-8")
            dst.writestr(item, data)
    with pytest.raises(ModelFileError, match="allow-list"):
        jobrisk.load_model(tampered)


def test_foreign_skops_file_is_refused(tmp_path: Path) -> None:
    import skops.io as sio

    path = tmp_path / "other.skops"
    sio.dump({"hello": "world"}, path)
    with pytest.raises(ModelFileError, match="not a jobrisk model"):
        jobrisk.load_model(path)


def test_wrong_format_version_is_refused(tiny_model: Path, tmp_path: Path) -> None:
    import skops.io as sio

    from jobrisk.persist import ALLOWED_TYPES

    state = sio.load(tiny_model, trusted=sorted(ALLOWED_TYPES))
    state["format_version"] = 99
    path = tmp_path / "future.skops"
    sio.dump(state, path)
    with pytest.raises(ModelFileError, match="format version 99"):
        jobrisk.load_model(path)


def test_missing_file_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="jobrisk train"):
        jobrisk.load_model(tmp_path / "nope.skops")


def test_garbage_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "garbage.skops"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("schema.json", "{not json")
    path.write_bytes(buf.getvalue())
    with pytest.raises(ModelFileError):
        jobrisk.load_model(path)


def test_other_scikit_learn_version_is_reported(
    tiny_model: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import skops.io as sio

    from jobrisk.persist import ALLOWED_TYPES

    state = sio.load(tiny_model, trusted=sorted(ALLOWED_TYPES))
    state["metadata"]["versions"]["scikit-learn"] = "0.0.1"
    path = tmp_path / "old.skops"
    sio.dump(state, path)
    with caplog.at_level("WARNING", logger="jobrisk.persist"):
        model = jobrisk.load_model(path)
    assert "scikit-learn 0.0.1" in caplog.text and "constraints.txt" in caplog.text
    assert model.predict_proba(["LINEで連絡ください"]).shape == (1,)


def test_features_saved_before_masking_keep_reading_contact_data_and_names(tiny_model: Path) -> None:
    from jobrisk.features import JobRiskFeatures

    feats = jobrisk.load_model(tiny_model).pipeline.named_steps["features"]
    assert feats.mask_contacts is True and feats.mask_channels is True  # new models mask
    state = feats.__getstate__()
    del state["mask_contacts"], state["mask_channels"]
    old = JobRiskFeatures.__new__(JobRiskFeatures)
    old.__setstate__(state)
    assert old.mask_contacts is False and old.mask_channels is False
    assert "mask_contacts=False" in repr(old) and "mask_channels=False" in repr(old)
