import io
import json

import pytest
from progress_schema import check_event

from vault_tuner_train.errors import DatasetError, explain
from vault_tuner_train.progress import Progress


def test_events_follow_the_shared_schema_and_bad_ones_are_caught():
    stream = io.StringIO()
    progress = Progress(stream)
    progress.emit("step", step=2, total=10, loss=0.5, eta_s=progress.eta(2, 10), kl=float("nan"))
    event = json.loads(stream.getvalue())
    assert "kl" not in event, "non-finite numbers are left out rather than written as NaN"
    check_event(event)
    for bad in (
        {"event": "step", "time": 0, "step": 1, "total": 2},
        {"event": "step", "time": 0, "step": "1", "total": 2, "loss": 1.0},
        {"event": "bogus", "time": 0},
    ):
        with pytest.raises(AssertionError):
            check_event(bad)


def test_library_failures_become_errors_a_user_can_act_on():
    oom = explain(RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB"))
    assert oom.code == "out-of-memory" and "batch_size" in oom.hint
    assert explain(DatasetError("d.jsonl", 7, "bad")).code == "dataset-invalid"
    assert explain(ValueError("x")).code == "error"
