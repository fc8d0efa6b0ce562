import type { DatasetCard } from "@vault-tuner/shared";

/** The card as a person reads it (card.md); card.json holds the same facts for programs. */
export function renderCardMarkdown(card: DatasetCard): string {
  const { counts } = card;
  const lines = [
    `# Dataset ${card.name}`,
    "",
    `Format \`${card.format}\`, built ${card.builtAt}, seed ${card.options.seed}, profile \`${card.options.profile}\`, holdout ${card.options.holdout} of the examples by session, balance \`${card.options.balance}\`.`,
    "",
    "| part | desirable | undesirable | sessions |",
    "|---|---|---|---|",
    `| train | ${counts.train.desirable} | ${counts.train.undesirable} | ${counts.train.sessions} |`,
    `| holdout | ${counts.holdout.desirable} | ${counts.holdout.undesirable} | ${counts.holdout.sessions} |`,
    "",
    `Class ratio in train: ${card.ratio === null ? "one class only" : card.ratio.toFixed(3)}. KTOTrainer weights: desirable_weight ${card.weights.desirable}, undesirable_weight ${card.weights.undesirable}.`,
    `Rows repeated to balance the classes: ${counts.train.repeated}.`,
    "",
    "## How it was made",
    "",
    `- records read: ${counts.read}; unlabeled traces skipped: ${counts.unlabeled}; duplicates removed: ${counts.duplicates}`,
    `- dropped as invalid: ${counts.invalid.desirable} desirable, ${counts.invalid.undesirable} undesirable`,
    `- desirable examples from corrections: ${counts.corrections}`,
    `- mutation negatives: ${
      Object.entries(counts.mutations)
        .map(([kind, n]) => `${kind} ${n}`)
        .join(", ") || "none"
    }`,
  ];
  for (const file of card.sources.files)
    lines.push(`- file \`${file.path}\`: ${file.records} records, sha256 ${file.sha256}`);
  if (card.sources.traces)
    lines.push(`- traces matching ${JSON.stringify(card.sources.traces.filter)}: ${card.sources.traces.records}`);
  if (Object.keys(card.dropped.byRule).length > 0) {
    lines.push("", "## Dropped, by rule", "", "| rule | records |", "|---|---|");
    for (const [rule, n] of Object.entries(card.dropped.byRule).sort((a, b) => b[1] - a[1]))
      lines.push(`| ${rule} | ${n} |`);
    lines.push("", `Every dropped record, with its rule and message, is in \`dropped.jsonl\`.`);
  }
  if (card.dropped.traces.length > 0) {
    lines.push(
      "",
      `## Your labelled calls that were dropped (${card.dropped.traces.length})`,
      "",
      card.dropped.traces.map((id) => `\`${id}\``).join(", "),
    );
  }
  lines.push(
    "",
    `## Tools in train (${card.coverage.covered} of ${card.coverage.catalogTools} catalog tools have a desirable example)`,
    "",
    "| tool | rows |",
    "|---|---|",
  );
  for (const [tool, n] of Object.entries(card.coverage.tools).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])))
    lines.push(`| ${tool} | ${n} |`);
  lines.push("", "## Files", "", "| file | rows | bytes | sha256 |", "|---|---|---|---|");
  for (const [name, file] of Object.entries(card.files))
    lines.push(`| ${name} | ${file.rows} | ${file.bytes} | ${file.sha256} |`);
  return `${lines.join("\n")}\n`;
}
