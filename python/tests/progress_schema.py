"""Checks trainer events against progress.schema.json, generated from the daemon's zod schema."""

from __future__ import annotations

import json
from pathlib import Path

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "vault_tuner_train" / "progress.schema.json").read_text())
TYPES = {
    "number": (int, float),
    "integer": (int,),
    "string": (str,),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
}


def check_event(event: dict) -> None:
    variants = [v for v in SCHEMA["oneOf"] if v["properties"]["event"].get("const") == event.get("event")]
    assert variants, f"unknown event {event.get('event')!r}"
    variant = variants[0]
    for key in variant.get("required", []):
        assert key in event, f"{event['event']} event lacks {key!r}: {event}"
    for key, value in event.items():
        declared = variant["properties"].get(key)
        assert declared is not None or variant.get("additionalProperties", True) is not False, (
            f"{event['event']} event has undeclared {key!r}"
        )
        if declared and "type" in declared:
            allowed = TYPES[declared["type"]]
            assert isinstance(value, allowed) and not (isinstance(value, bool) and bool not in allowed), (
                f"{event['event']}.{key} = {value!r} is not {declared['type']}"
            )
            if declared["type"] == "array" and declared.get("items", {}).get("type") == "object":
                for item in value:
                    missing = [name for name in declared["items"].get("required", []) if name not in item]
                    assert not missing, f"{event['event']}.{key} item lacks {missing}: {item}"
