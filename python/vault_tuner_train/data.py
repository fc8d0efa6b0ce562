"""Reading a dataset the daemon built and rendering it with the model's own chat template."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DatasetError, TrainError


@dataclass
class Dataset:
    """Rows of a built dataset, with the tool lists they reference and the card's weights."""

    path: Path
    rows: list[dict[str, Any]]
    toolsets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    card: dict[str, Any] | None = None


def toolset_file(key: str) -> str:
    # The same rule as the daemon's toolsetFileName() (daemon/src/datasets/write-dataset.ts).
    return "toolsets/" + re.sub(r"[^A-Za-z0-9._-]", ".", key) + ".json"


def load_dataset(path: str | Path, mode: str) -> Dataset:
    """A dataset folder (train.jsonl, card.json, toolsets/) or one JSONL file; every row is checked."""
    path = Path(path)
    file = path / "train.jsonl" if path.is_dir() else path
    if not file.is_file():
        raise TrainError(
            f"no dataset at {path}", "give a folder the dataset builder wrote or its train.jsonl", "dataset-missing"
        )
    folder = file.parent
    card_file = folder / "card.json"
    card = json.loads(card_file.read_text()) if card_file.is_file() else None
    rows: list[dict[str, Any]] = []
    toolsets: dict[str, list[dict[str, Any]]] = {}
    with file.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise DatasetError(str(file), number, f"not JSON ({error.msg} at column {error.colno})") from error
            _check_row(row, mode, str(file), number)
            key = row.get("toolset")
            if key and key not in toolsets:
                tools_file = folder / toolset_file(key)
                if not tools_file.is_file():
                    raise DatasetError(
                        str(file), number, f"toolset {key!r} has no {toolset_file(key)} beside the dataset"
                    )
                toolsets[key] = json.loads(tools_file.read_text())
            row["_line"] = number
            rows.append(row)
    if not rows:
        raise TrainError(f"{file} has no rows", "", "dataset-invalid")
    if mode == "kto" and len({row["label"] for row in rows}) < 2:
        raise TrainError(
            f"{file} holds only {'desirable' if rows[0]['label'] else 'undesirable'} rows; KTO needs both",
            "build the dataset with labels of both kinds or with mutation negatives",
            "dataset-invalid",
        )
    return Dataset(file, rows, toolsets, card)


def _check_row(row: Any, mode: str, file: str, number: int) -> None:
    if not isinstance(row, dict):
        raise DatasetError(file, number, "a row must be a JSON object")
    if mode == "kto":
        for key, kind in (("prompt", list), ("completion", list), ("label", bool)):
            if not isinstance(row.get(key), kind):
                raise DatasetError(
                    file,
                    number,
                    f'"{key}" must be a {"message list" if kind is list else "boolean"} (a KTO row from the dataset builder)',
                )
    else:
        messages = row.get("messages") or (
            row.get("prompt", []) + row.get("completion", []) if isinstance(row.get("prompt"), list) else None
        )
        if not isinstance(messages, list) or not messages:
            raise DatasetError(
                file, number, '"messages" must be a non-empty message list (an SFT row from the dataset builder)'
            )
    for message in row.get("messages") or (row.get("prompt", []) + row.get("completion", [])):
        if not isinstance(message, dict) or message.get("role") not in ("system", "user", "assistant", "tool"):
            raise DatasetError(file, number, f"a message has no valid role: {json.dumps(message)[:80]}")


def _for_template(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chat templates want tool-call arguments as objects; the dataset keeps them as JSON strings."""
    out = []
    for message in messages:
        message = dict(message)
        if message.get("tool_calls"):
            calls = []
            for call in message["tool_calls"]:
                function = dict(call["function"])
                if isinstance(function.get("arguments"), str):
                    function["arguments"] = json.loads(function["arguments"])
                calls.append({**call, "function": function})
            message["tool_calls"] = calls
        out.append(message)
    return out


def render(dataset: Dataset, tokenizer: Any, mode: str) -> list[dict[str, Any]]:
    """Text rows exactly as inference will see them: the model's template with the system prompt, every
    earlier turn and the tools. The completion is what the template adds after the generation prompt."""
    if not getattr(tokenizer, "chat_template", None):
        raise TrainError(
            "the model's tokenizer has no chat template",
            "use an instruct/chat model, or add a chat_template to its tokenizer_config.json",
            "template-missing",
        )
    rendered = []
    for row in dataset.rows:
        if mode == "sft" and row.get("label") is False:
            continue  # SFT imitates: only desirable calls are examples to copy.
        prompt = row["prompt"] if mode == "kto" or "prompt" in row else row["messages"][:-1]
        completion = row["completion"] if mode == "kto" or "completion" in row else row["messages"][-1:]
        tools = dataset.toolsets.get(row.get("toolset", ""), None)
        prompt_text = tokenizer.apply_chat_template(
            _for_template(prompt), tools=tools, tokenize=False, add_generation_prompt=True
        )
        full_text = tokenizer.apply_chat_template(_for_template(prompt + completion), tools=tools, tokenize=False)
        if not full_text.startswith(prompt_text):
            raise DatasetError(
                str(dataset.path),
                row["_line"],
                "the chat template renders the prompt differently once the answer is added, so the completion cannot be cut out",
            )
        entry = {
            "prompt": prompt_text,
            "completion": _ends_with_eos(full_text[len(prompt_text) :], tokenizer.eos_token),
        }
        if mode == "kto":
            entry["label"] = row["label"]
        rendered.append(entry)
    if not rendered:
        raise TrainError(
            f"{dataset.path} has no desirable rows to imitate",
            "SFT learns from desirable calls only; label some, or train KTO",
            "dataset-invalid",
        )
    return rendered


def _ends_with_eos(completion: str, eos: str | None) -> str:
    """The completion ends at the end-of-turn token, where generation stops: what a template writes after it
    (ChatML's newline) is not the model's to produce. Without one, the token is added, as TRL does."""
    if not eos:
        return completion
    stripped = completion.rstrip()
    return stripped if stripped.endswith(eos) else completion + eos
