from __future__ import annotations

import json

from test_cli import run


def kto_on_cpu(recipe, dataset, model, output, *extra: str) -> list[str]:
    """The kto command's arguments on the CPU with a recipe file, a dataset folder and a model."""
    return ["kto", "--config", str(recipe), "--dataset", str(dataset), "--model", str(model)] + [
        "--output",
        str(output),
        "--device",
        "cpu",
        *extra,
    ]


def train_on_cpu(recipe, dataset, model, output, *extra: str):
    """kto_on_cpu through the command line: the exit code, the events and stderr."""
    return run(*kto_on_cpu(recipe, dataset, model, output, *extra))


def first_rows(starter_dataset, count: int, folder):
    """A dataset folder holding the starter's first `count` rows and the toolset they use."""
    rows = (starter_dataset / "train.jsonl").read_text().splitlines()[:count]
    (folder / "toolsets").mkdir(parents=True)
    (folder / "train.jsonl").write_text("\n".join(rows) + "\n")
    (folder / "toolsets" / "claudesidian-3.json").write_text(
        (starter_dataset / "toolsets" / "claudesidian-3.json").read_text()
    )
    return folder


def test_kto_trains_a_few_steps_with_progress_and_saves_the_adapter(tiny_model, starter_dataset, tmp_path):
    out = tmp_path / "kto"
    code, events, stderr = run(
        "kto",
        "--config",
        "tiny",
        "--dataset",
        str(starter_dataset),
        "--model",
        str(tiny_model),
        "--output",
        str(out),
        "--max-steps",
        "4",
        "--device",
        "cpu",
    )
    assert code == 0, stderr[-2000:]
    kinds = [event["event"] for event in events]
    assert kinds[0] == "start" and kinds[-1] == "done"
    steps = [event for event in events if event["event"] == "step"]
    assert [step["step"] for step in steps] == [1, 2, 3, 4]
    assert all(step["total"] == 4 and step["loss"] > 0 for step in steps)
    assert "rewards_margins" in steps[-1] or "rewards_chosen" in steps[-1]
    assert steps[-1]["eta_s"] == 0.0
    assert "checkpoint" in kinds
    summary = json.loads((out / "training.json").read_text())
    assert summary["steps"] == 4
    assert (out / "adapter" / "adapter_model.safetensors").is_file()
    assert (out / "adapter" / "tokenizer_config.json").is_file()


def test_kto_resumes_from_its_last_checkpoint(tiny_model, starter_dataset, tmp_path):
    out = tmp_path / "resume"
    assert (
        run(
            "kto",
            "--config",
            "tiny",
            "--dataset",
            str(starter_dataset),
            "--model",
            str(tiny_model),
            "--output",
            str(out),
            "--max-steps",
            "2",
            "--device",
            "cpu",
        )[0]
        == 0
    )
    code, events, stderr = run(
        "kto",
        "--config",
        "tiny",
        "--dataset",
        str(starter_dataset),
        "--model",
        str(tiny_model),
        "--output",
        str(out),
        "--max-steps",
        "4",
        "--device",
        "cpu",
        "--resume",
    )
    assert code == 0, stderr[-2000:]
    assert [event["step"] for event in events if event["event"] == "step"] == [3, 4]


def test_sft_trains_on_the_completion_only(tiny_model, starter_dataset, tmp_path):
    out = tmp_path / "sft"
    code, events, stderr = run(
        "sft",
        "--config",
        "tiny",
        "--dataset",
        str(starter_dataset),
        "--model",
        str(tiny_model),
        "--output",
        str(out),
        "--max-steps",
        "3",
        "--device",
        "cpu",
    )
    assert code == 0, stderr[-2000:]
    assert events[0]["examples"] == 253, "only the 253 desirable rows of the starter's train part are imitated"
    assert [event["step"] for event in events if event["event"] == "step"] == [1, 2, 3]
    assert (out / "adapter" / "adapter_model.safetensors").is_file()


def test_merge_gives_a_standalone_model_that_answers_like_the_adapter(tiny_model, starter_dataset, tmp_path):
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    run_dir = tmp_path / "run"
    assert (
        run(
            "kto",
            "--config",
            "tiny",
            "--dataset",
            str(starter_dataset),
            "--model",
            str(tiny_model),
            "--output",
            str(run_dir),
            "--max-steps",
            "3",
            "--device",
            "cpu",
        )[0]
        == 0
    )
    merged_dir = tmp_path / "merged"
    code, events, stderr = run("merge", "--run", str(run_dir), "--output", str(merged_dir), "--dtype", "float32")
    assert code == 0, stderr[-2000:]
    assert events[-1]["output"] == str(merged_dir)
    tokenizer = AutoTokenizer.from_pretrained(merged_dir)
    assert tokenizer.chat_template, "the chat template travels with the merged model"
    prompt = tokenizer.apply_chat_template(
        [{"role": "user", "content": "Read Notes/a.md"}], tokenize=False, add_generation_prompt=True
    )
    inputs = tokenizer(prompt, return_tensors="pt")
    with_adapter = PeftModel.from_pretrained(
        AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32), str(run_dir / "adapter")
    )
    merged = AutoModelForCausalLM.from_pretrained(merged_dir, dtype=torch.float32)
    expected = with_adapter.generate(**inputs, max_new_tokens=12, do_sample=False)
    assert torch.equal(merged.generate(**inputs, max_new_tokens=12, do_sample=False), expected)
    assert not any("lora" in name for name in merged.state_dict())


def test_mlx_kto_trains_a_few_steps_on_the_cpu(tiny_model, starter_dataset, tmp_path):
    out = tmp_path / "mlx"
    code, events, stderr = run(
        "kto",
        "--config",
        "tiny",
        "--backend",
        "mlx",
        "--dataset",
        str(starter_dataset),
        "--model",
        str(tiny_model),
        "--output",
        str(out),
        "--max-steps",
        "4",
    )
    assert code == 0, stderr[-2000:]
    steps = [event for event in events if event["event"] == "step"]
    assert [step["step"] for step in steps] == [1, 2, 3, 4]
    assert events[0]["device"] == "mlx"
    # Step 1 starts from the reference model itself: no KL, no reward, KTO loss exactly 1 - sigmoid(0).
    assert abs(steps[0]["loss"] - 0.5) < 1e-4 and abs(steps[0]["rewards_margins"]) < 1e-4
    assert all("kl" in step and "rewards_chosen" in step and "rewards_rejected" in step for step in steps)
    assert steps[-1]["loss"] != steps[0]["loss"], "the adapter learns"
    assert (out / "adapter" / "adapters.safetensors").is_file()
    assert json.loads((out / "training.json").read_text())["loader"] == "mlx"


def test_mlx_sft_trains_and_resumes(tiny_model, starter_dataset, tmp_path):
    out = tmp_path / "mlx-sft"
    assert (
        run(
            "sft",
            "--config",
            "tiny",
            "--backend",
            "mlx",
            "--dataset",
            str(starter_dataset),
            "--model",
            str(tiny_model),
            "--output",
            str(out),
            "--max-steps",
            "2",
        )[0]
        == 0
    )
    assert (out / "adapter" / "adapters.safetensors").is_file()
    code, events, stderr = run(
        "sft",
        "--config",
        "tiny",
        "--backend",
        "mlx",
        "--dataset",
        str(starter_dataset),
        "--model",
        str(tiny_model),
        "--output",
        str(out),
        "--max-steps",
        "4",
        "--resume",
    )
    assert code == 0, stderr[-2000:]
    assert [event["step"] for event in events if event["event"] == "step"] == [3, 4]


def test_kto_with_precomputed_reference_log_probs(tiny_model, starter_dataset, tmp_path):
    small = first_rows(starter_dataset, 24, tmp_path / "small")
    recipe = tmp_path / "precompute.yaml"
    recipe.write_text("base: tiny\nprecompute_ref_log_probs: true\n")
    code, events, stderr = train_on_cpu(recipe, small, tiny_model, tmp_path / "out", "--max-steps", "3")
    assert code == 0, stderr[-2000:]
    steps = [event for event in events if event["event"] == "step"]
    assert [step["step"] for step in steps] == [1, 2, 3]
    assert abs(steps[0]["loss"] - 0.5) < 1e-4, "at step 1 the policy is its own reference"
    # Before the first step the run says what it is doing: loading (no count), tokenizing the 24 rows (one
    # chunk), the reference pass over them in batches of 8 (twice the micro-batch of 4), with the time
    # left once a batch is done, and then training.
    first_step = next(index for index, event in enumerate(events) if event["event"] == "step")
    stages = [
        (event["stage"], event["index"], event["total"]) for event in events[:first_step] if event["event"] == "stage"
    ]
    assert stages == [
        ("loading the model", 0, 0),
        ("tokenizing", 1, 1),
        ("reference pass", 1, 3),
        ("reference pass", 2, 3),
        ("reference pass", 3, 3),
        ("training", 0, 0),
    ]
    reference = [event for event in events if event["event"] == "stage" and event["stage"] == "reference pass"]
    assert "eta_s" not in reference[0] and all(event["eta_s"] >= 0 for event in reference[1:])


def test_an_epoch_run_announces_the_steps_it_takes(tiny_model, starter_dataset, tmp_path):
    """10 rows in micro-batches of 4 with 2 accumulated: 3 micro-batches make 2 optimizer steps, not 10 // 8."""
    small = first_rows(starter_dataset, 10, tmp_path / "ten")
    recipe = tmp_path / "epoch.yaml"
    recipe.write_text("base: tiny\nbatch_size: 4\ngradient_accumulation: 2\nepochs: 1\nmax_steps: null\n")
    code, events, stderr = train_on_cpu(recipe, small, tiny_model, tmp_path / "out")
    assert code == 0, stderr[-2000:]
    start = next(event for event in events if event["event"] == "start")
    steps = [event for event in events if event["event"] == "step"]
    assert start["total"] == 2 and [step["step"] for step in steps] == [1, 2]
    assert all(step["total"] == 2 for step in steps)


def test_two_processes_train_data_parallel_and_stay_in_step(tiny_model, starter_dataset, tmp_path):
    """torchrun with two CPU processes (gloo): each trains on its own shard of every step's batch, the
    gradients are averaged, and the run ends by checking that both hold the same adapter (it fails
    otherwise). The reference pass is shared out and gathered back in row order. Only the first process
    reports."""
    from test_cli import PYTHON_DIR, check_event
    from two_processes import torchrun_two

    small = first_rows(starter_dataset, 24, tmp_path / "small")
    recipe = tmp_path / "precompute.yaml"
    recipe.write_text("base: tiny\nprecompute_ref_log_probs: true\n")

    out = tmp_path / "two"
    done = torchrun_two(
        "-m", "vault_tuner_train", *kto_on_cpu(recipe, small, tiny_model, out, "--max-steps", "3"), cwd=PYTHON_DIR
    )
    assert done.returncode == 0, done.stderr[-3000:]
    events = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    for event in events:
        check_event(event)
    start = next(event for event in events if event["event"] == "start")
    assert start["processes"] == 2 and start["batch_size"] == 4
    steps = [event for event in events if event["event"] == "step"]
    assert [step["step"] for step in steps] == [1, 2, 3]
    # At step 1 the policy is its own reference: 0.5 only if each row met its own precomputed log-probs.
    assert abs(steps[0]["loss"] - 0.5) < 1e-4
    # The metrics are summed over both processes' rows when the trainer logs (a collective at each step).
    assert all({"kl", "rewards_chosen", "rewards_rejected", "rewards_margins"} <= set(step) for step in steps)
    summary = json.loads((out / "training.json").read_text())
    assert summary["processes"] == 2 and summary["steps"] == 3
    assert (out / "adapter" / "adapter_model.safetensors").is_file()


def test_a_run_says_how_many_rows_max_length_cuts(tiny_model, starter_dataset, tmp_path):
    small = first_rows(starter_dataset, 8, tmp_path / "eight")
    recipe = tmp_path / "short.yaml"
    recipe.write_text("base: tiny\nmax_length: 64\n")
    code, _, stderr = train_on_cpu(recipe, small, tiny_model, tmp_path / "out", "--max-steps", "1")
    assert code == 0, stderr[-2000:]
    assert "8 of 8 rows are longer than max_length 64" in stderr
