from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tiny_model import corpus_of, make_tiny_model

ROOT = Path(__file__).resolve().parents[2]
STARTER = ROOT / "datasets" / "starter-claudesidian-3"


@pytest.fixture(scope="session")
def starter_dataset(tmp_path_factory) -> Path:
    """A copy of the starter dataset the builder wrote (train.jsonl, card.json, toolsets/)."""
    folder = tmp_path_factory.mktemp("dataset") / "starter"
    shutil.copytree(STARTER, folder)
    return folder


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory, starter_dataset) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("model") / "tiny", corpus_of(starter_dataset))
