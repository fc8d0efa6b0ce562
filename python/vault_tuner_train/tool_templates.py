"""Tool-capable chat templates for bases whose own template cannot render tools and tool calls.

A base keeps its template when it already renders `tools` and assistant `tool_calls`; otherwise it gets the
template of its turn format from templates/, which training renders with, the export embeds in the GGUF and
the evaluator renders prompts with, so all three see the same text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class ToolTemplate:
    name: str
    #: A control token of the vocabulary that identifies the turn format.
    marker: str
    #: The token that ends a model turn: generation stops there and training completions end with it.
    end_of_turn: str

    @property
    def text(self) -> str:
        return (TEMPLATES_DIR / f"{self.name}.jinja").read_text(encoding="utf-8")

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


TOOL_TEMPLATES = (ToolTemplate("gemma-turns-tools", "<start_of_turn>", "<end_of_turn>"),)


def renders_tools(template: str | None) -> bool:
    """Whether a chat template can show the offered tools and the assistant's calls (both are needed)."""
    return bool(template) and "tools" in template and "tool_calls" in template


def tool_template_for(vocabulary: list[str], name: str | None = None) -> ToolTemplate | None:
    """The named template, or the one whose turn marker the vocabulary has; None when none fits."""
    if name is not None:
        for template in TOOL_TEMPLATES:
            if template.name == name:
                return template
        raise KeyError(name)
    tokens = set(vocabulary)
    return next(
        (template for template in TOOL_TEMPLATES if template.marker in tokens and template.end_of_turn in tokens), None
    )
