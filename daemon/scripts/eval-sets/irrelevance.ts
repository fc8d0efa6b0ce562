import type { PromptSetInput } from "@vault-tuner/shared";
import { evalCase, promptSet } from "./case-builders";

/** General questions and chit-chat, shared by the 3.x and Nexus irrelevance sets. */
export const IRRELEVANT_REQUESTS: [string, string][] = [
  ["irrelevance_folder_vs_tag", "What is the difference between a folder and a tag in Obsidian?"],
  ["irrelevance_haiku", "Write me a haiku about ferries."],
  ["irrelevance_units", "How many cups is 400 ml?"],
  ["irrelevance_thanks", "Thanks, that's all for now!"],
  ["irrelevance_markdown_table", "Explain what a markdown table is, with a tiny example."],
  ["irrelevance_kto", "What does KTO stand for in model training?"],
  ["irrelevance_names", "Suggest three names for a project about tide tables."],
  ["irrelevance_translate", "How do you say 'good morning' in Spanish?"],
  ["irrelevance_arithmetic", "What is 17 times 23?"],
  ["irrelevance_garden_tips", "I'm thinking of starting a garden journal. Any tips on what to track?"],
];

/** Requests the model should answer in words: passing means no call at all and an untouched vault. */
export function irrelevanceSet(): PromptSetInput {
  return promptSet({
    id: "irrelevance",
    title: "Irrelevance: requests that need no tool",
    description:
      "General questions and chit-chat with the vault tools offered. A case passes only when the model makes no call (BFCL's relevance check) and the vault is unchanged.",
    cases: IRRELEVANT_REQUESTS.map(([id, request]) =>
      evalCase({ id, kind: "irrelevance", request, tags: ["no-tool"], reference: [] }),
    ),
  });
}
