import type { ArgConstraint, EvalCaseInput } from "@vault-tuner/shared";
import { NOTE_TEXT, NOTES } from "../../src/evals/eval-vault";
import { NEXUS_NOTES } from "../../src/evals/nexus-eval-vault";
import { any, contains, exact, path } from "./case-builders";
import { nexusCase } from "./nexus-case-builders";

/** A one-command case: its constraints, the reference (one or more turns), and the vault it must leave. */
export function single(
  command: string,
  request: string,
  args: Record<string, ArgConstraint>,
  reference: Parameters<typeof nexusCase>[0]["reference"],
  vault?: Parameters<typeof nexusCase>[0]["vault"],
): EvalCaseInput {
  return nexusCase({
    id: command.replace(" ", "_"),
    kind: "single",
    request,
    calls: [{ tool: command, args }],
    reference,
    ...(vault ? { vault } : {}),
  });
}

const canvasPath = (name: string) => ({ pattern: `^/?Boards/${name}(\\.canvas)?$` });
const basePath = (name: string) => ({ pattern: `^/?Dashboards/${name}(\\.base)?$` });

/** content, storage, search, canvas and base: one case per command the sandbox runs. */
export function noteCases(): EvalCaseInput[] {
  return [
    single(
      "content read",
      `What goes into my green curry? The recipe is in ${NOTES.curry}.`,
      { path: path(NOTES.curry), startLine: any },
      [[`content read "${NOTES.curry}" 1`]],
    ),
    single(
      "content write",
      "Create a note at Projects/Harbor/Retro.md with the heading 'Harbor retro' and one line saying the design review went well.",
      { path: path("Projects/Harbor/Retro.md"), content: contains("Harbor retro") },
      [['content write Projects/Harbor/Retro.md "# Harbor retro\\n\\nThe design review went well.\\n"']],
      { files: { "Projects/Harbor/Retro.md": { contains: ["Harbor retro", "design review"] } } },
    ),
    single(
      "content insert",
      `Add "- buy stamps" to the end of ${NOTES.inbox}.`,
      { path: path(NOTES.inbox), content: contains("buy stamps"), startLine: exact(-1) },
      [[`content insert "${NOTES.inbox}" "- buy stamps" -1`]],
      { files: { [NOTES.inbox]: { startsWith: NOTE_TEXT[NOTES.inbox], contains: ["buy stamps"] } } },
    ),
    single(
      "content replace",
      `In ${NOTES.plan}, the payment provider contract now ends in July, not May. Fix that risk line.`,
      { path: path(NOTES.plan), start: contains("payment provider"), content: contains("July") },
      [
        [`content read ${NOTES.plan} 1`],
        [
          `content replace ${NOTES.plan} "- The payment provider contract ends in May" "- The payment provider contract ends in May" "- The payment provider contract ends in July"`,
        ],
      ],
      {
        files: {
          [NOTES.plan]: {
            contains: ["contract ends in July", "Ship the ferry timetable app"],
            notContains: ["ends in May"],
          },
        },
      },
    ),
    single(
      "content set-property",
      `I finished The Overstory: set the status property of ${NOTES.overstory} to done.`,
      { path: path(NOTES.overstory), property: exact("status"), value: exact("done") },
      [[`content set-property "${NOTES.overstory}" status done`]],
      {
        files: { [NOTES.overstory]: { startsWith: "---\nstatus: done\n---\n", endsWith: NOTE_TEXT[NOTES.overstory] } },
      },
    ),
    single(
      "content remove-property",
      `Take the to-review tag off ${NEXUS_NOTES.piranesi}; keep its other tags.`,
      { path: path(NEXUS_NOTES.piranesi), property: exact("tags"), value: exact("to-review") },
      [[`content remove-property ${NEXUS_NOTES.piranesi} tags --value to-review`]],
      {
        files: {
          [NEXUS_NOTES.piranesi]: {
            contains: ["fiction", "status: reading", "# Piranesi"],
            notContains: ["to-review"],
          },
        },
      },
    ),
    single("storage list", "What's in my Projects/Harbor folder?", { path: path("Projects/Harbor") }, [
      ["storage list --path Projects/Harbor"],
    ]),
    single(
      "storage create-folder",
      "Make a folder Projects/Lighthouse for a new project.",
      { path: path("Projects/Lighthouse") },
      [["storage create-folder Projects/Lighthouse"]],
      { foldersCreated: ["Projects/Lighthouse"] },
    ),
    single(
      "storage move",
      `Move ${NOTES.oldIdeas} into the Archive/2025 folder.`,
      { path: path(NOTES.oldIdeas), newPath: path("Archive/2025/Old Ideas.md") },
      [[`storage move "${NOTES.oldIdeas}" "Archive/2025/Old Ideas.md"`]],
      {
        deleted: [NOTES.oldIdeas],
        files: { "Archive/2025/Old Ideas.md": { equals: NOTE_TEXT[NOTES.oldIdeas] as string } },
      },
    ),
    single(
      "storage copy",
      `Make a copy of ${NOTES.curry} called "Green Curry (spicy).md" in the same folder.`,
      { path: path(NOTES.curry), newPath: path("Kitchen/Recipes/Green Curry (spicy).md") },
      [[`storage copy "${NOTES.curry}" "Kitchen/Recipes/Green Curry (spicy).md"`]],
      { files: { "Kitchen/Recipes/Green Curry (spicy).md": { equals: NOTE_TEXT[NOTES.curry] as string } } },
    ),
    single(
      "storage archive",
      `Archive my journal entry ${NOTES.journal}.`,
      { path: path(NOTES.journal) },
      [[`storage archive ${NOTES.journal}`]],
      {
        deleted: [NOTES.journal],
        files: { [`.archive/<time>/${NOTES.journal}`]: { equals: NOTE_TEXT[NOTES.journal] as string } },
      },
    ),
    single("search content", "Which of my notes mention the payment provider?", { query: contains("payment") }, [
      ['search content "payment provider"'],
    ]),
    single(
      "search directory",
      "Where do I keep my recipes? Find the folder.",
      { query: contains("recipe"), paths: any },
      [['search directory recipes --paths "/" --search-type folders']],
    ),
    single("search memory", "Search my workspace memory for the design review.", { query: contains("design review") }, [
      ['search memory "design review"'],
    ]),
    single("canvas read", `What's on my ${NEXUS_NOTES.canvas} board?`, { path: canvasPath("Harbor") }, [
      [`canvas read ${NEXUS_NOTES.canvas}`],
    ]),
    single(
      "canvas write",
      "Create a canvas Boards/Garden.canvas with one text card saying 'Beds'.",
      { path: canvasPath("Garden"), nodes: any },
      [
        [
          `canvas write Boards/Garden.canvas --nodes '[{"type":"text","text":"Beds","x":0,"y":0,"width":200,"height":60}]'`,
        ],
      ],
      { files: { "Boards/Garden.canvas": { contains: ['"text": "Beds"'] } } },
    ),
    single(
      "canvas update",
      `Replace everything on ${NEXUS_NOTES.canvas} with a single text card 'Launch'.`,
      { path: canvasPath("Harbor"), nodes: any },
      [
        [
          `canvas update ${NEXUS_NOTES.canvas} --nodes '[{"type":"text","text":"Launch","x":0,"y":0,"width":200,"height":60}]' --edges '[]'`,
        ],
      ],
      { files: { [NEXUS_NOTES.canvas]: { contains: ['"text": "Launch"'], notContains: ["Timetable import"] } } },
    ),
    single("canvas list", "Which canvases do I have?", {}, [["canvas list"]]),
    single("base read", `How is ${NEXUS_NOTES.base} set up?`, { path: basePath("Reading") }, [
      [`base read ${NEXUS_NOTES.base}`],
    ]),
    single(
      "base write",
      'Create a base Dashboards/Open.base that shows notes whose status is "open" in a table.',
      { path: basePath("Open") },
      [
        [
          'base write Dashboards/Open.base --config "filters: status == \\"open\\"\\nviews:\\n  - type: table\\n    name: Open"',
        ],
      ],
      { files: { "Dashboards/Open.base": { contains: ["open", "table"] } } },
    ),
    single(
      "base update",
      `Change the filter of ${NEXUS_NOTES.base} to show notes whose status is "done".`,
      { path: basePath("Reading") },
      [[`base update ${NEXUS_NOTES.base} --config 'filters: status == "done"'`]],
      {
        files: {
          [NEXUS_NOTES.base]: { contains: ['status == "done"', "Reading now"], notContains: ['"reading"'] },
        },
      },
    ),
    single("base list", "Which bases do I have?", {}, [["base list"]]),
  ];
}
