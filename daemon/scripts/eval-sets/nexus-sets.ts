import type { ArgConstraint, PromptSetInput } from "@vault-tuner/shared";
import { NOTE_TEXT, NOTES, HARBOR_WORKSPACE } from "../../src/evals/eval-vault";
import { BOOKING_PROJECT, NEXUS_NOTES, PAYMENTS_TASK } from "../../src/evals/nexus-eval-vault";
import { contains, exact, path } from "./case-builders";
import { IRRELEVANT_REQUESTS } from "./irrelevance";
import { nexusCase, nexusPromptSet } from "./nexus-case-builders";
import { memoryCases } from "./nexus-memory-cases";
import { noteCases } from "./nexus-notes-cases";

/** Every command the sandbox runs, once: the right command, the right arguments, the vault left as asked. */
export function nexusFullCoverageSet(): PromptSetInput {
  return nexusPromptSet({
    id: "nexus-full-coverage",
    title: "Nexus full coverage: every command the sandbox runs",
    description:
      "One request per Nexus 5.20.1 command that runs on a folder of notes (content, storage, search, memory, task, canvas, base). The session has already looked the command up with getTools; the model must run it through useTools with the right arguments and leave the vault as the request implies.",
    cases: [...noteCases(), ...memoryCases()],
  });
}

/** Several commands for one request: batched in one call, in parallel, or over turns. */
export function nexusCombosSet(): PromptSetInput {
  const lighthouse = "Projects/Lighthouse/Ideas.md";
  return nexusPromptSet({
    id: "nexus-combos",
    title: "Nexus combos: several commands for one request",
    description:
      "Requests that need more than one command: a serial batch in one useTools call, parallel reads, a read before an edit, a workspace loaded before saving a state.",
    cases: [
      nexusCase({
        id: "combo_folder_and_note",
        kind: "combo",
        request: "Create the folder Projects/Lighthouse with a note Ideas.md in it, headed 'Lighthouse ideas'.",
        calls: [
          { tool: "storage create-folder", args: { path: path("Projects/Lighthouse") } },
          { tool: "content write", args: { path: path(lighthouse), content: contains("Lighthouse ideas") } },
        ],
        reference: [[`storage create-folder Projects/Lighthouse, content write ${lighthouse} "# Lighthouse ideas\\n"`]],
        vault: { foldersCreated: ["Projects/Lighthouse"], files: { [lighthouse]: { contains: ["Lighthouse ideas"] } } },
      }),
      nexusCase({
        id: "combo_parallel_reads",
        kind: "combo",
        request: `Read ${NOTES.plan} and ${NOTES.status} and tell me where Harbor stands.`,
        calls: [
          { tool: "content read", args: { path: path(NOTES.plan) } },
          { tool: "content read", args: { path: path(NOTES.status) } },
        ],
        order: "any",
        reference: [
          [
            {
              tool: "toolManager_useTools",
              arguments: { tool: `content read ${NOTES.plan} 1, content read ${NOTES.status} 1`, strategy: "parallel" },
            },
          ],
        ],
      }),
      nexusCase({
        id: "combo_read_then_insert",
        kind: "combo",
        request: `Add a line "2026-05-08: booking flow demo" at the end of ${NOTES.status}, after what is there.`,
        calls: [{ tool: "content insert", args: { path: path(NOTES.status), content: contains("booking flow demo") } }],
        seen: ["content read", "content insert"],
        reference: [
          [`content read ${NOTES.status} 1`],
          [`content insert ${NOTES.status} "2026-05-08: booking flow demo" -1`],
        ],
        vault: {
          files: {
            [NOTES.status]: { startsWith: NOTE_TEXT[NOTES.status] as string, contains: ["booking flow demo"] },
          },
        },
      }),
      nexusCase({
        id: "combo_move_and_tag",
        kind: "combo",
        request: `Move ${NOTES.inbox} to Archive/2025/Quick Notes.md and set its status property to filed.`,
        calls: [
          { tool: "storage move", args: { path: path(NOTES.inbox), newPath: path("Archive/2025/Quick Notes.md") } },
          {
            tool: "content set-property",
            args: { path: path("Archive/2025/Quick Notes.md"), property: exact("status"), value: exact("filed") },
          },
        ],
        reference: [
          [
            `storage move "${NOTES.inbox}" "Archive/2025/Quick Notes.md", content set-property "Archive/2025/Quick Notes.md" status filed`,
          ],
        ],
        vault: {
          deleted: [NOTES.inbox],
          files: { "Archive/2025/Quick Notes.md": { startsWith: "---\nstatus: filed\n---\n", contains: ["plumber"] } },
        },
      }),
      nexusCase({
        id: "combo_load_then_save_state",
        kind: "combo",
        request: "Switch to my Harbor workspace and save a checkpoint there called 'Seat picker next'.",
        calls: [
          { tool: "memory load-workspace", args: { workspace: { oneOf: ["Harbor", HARBOR_WORKSPACE] } } },
          { tool: "memory create-state", args: { name: contains("Seat picker next") } },
        ],
        reference: [
          [
            'memory load-workspace Harbor, memory create-state "Seat picker next" "Harbor: the seat picker is next." "Plan the seat picker" --active-files "Projects/Harbor/Plan.md" --next-steps "Design the seat picker"',
          ],
        ],
        vault: {
          memoryCreated: [
            {
              collection: "states",
              match: { name: contains("Seat picker next"), workspaceId: exact(HARBOR_WORKSPACE) },
            },
          ],
        },
      }),
      nexusCase({
        id: "combo_find_then_read",
        kind: "combo",
        request: "Who wrote The Overstory? I have a note about it somewhere.",
        calls: [{ tool: "content read", args: { path: path(NOTES.overstory) } }],
        seen: ["search content", "content read"],
        reference: [['search content "The Overstory"'], [`content read "${NOTES.overstory}" 1`]],
      }),
      nexusCase({
        id: "combo_task_with_dependency",
        kind: "combo",
        request:
          "In the Booking flow project, add a task 'Test payments' that can only start after 'Connect payments'.",
        calls: [
          {
            tool: "task create",
            args: {
              projectId: exact(BOOKING_PROJECT),
              title: contains("Test payments"),
              dependsOn: exact([PAYMENTS_TASK]),
            },
          },
        ],
        seen: ["task list-projects", "task list", "task create"],
        reference: [
          ["task list-projects"],
          [`task list ${BOOKING_PROJECT}`],
          [`task create ${BOOKING_PROJECT} "Test payments" --depends-on ${PAYMENTS_TASK}`],
        ],
        vault: {
          memoryCreated: [
            { collection: "tasks", match: { title: contains("Test payments"), dependsOn: exact([PAYMENTS_TASK]) } },
          ],
        },
      }),
      nexusCase({
        id: "combo_copy_then_edit",
        kind: "combo",
        request: `Copy ${NOTES.plan} to Projects/Harbor/Plan v2.md, and in the copy change the June deadline to July.`,
        calls: [
          { tool: "storage copy", args: { path: path(NOTES.plan), newPath: path("Projects/Harbor/Plan v2.md") } },
          { tool: "content replace", args: { path: path("Projects/Harbor/Plan v2.md"), content: contains("July") } },
        ],
        reference: [
          [
            `storage copy ${NOTES.plan} "Projects/Harbor/Plan v2.md", content replace "Projects/Harbor/Plan v2.md" "- Ship the ferry timetable app by June" "- Ship the ferry timetable app by June" "- Ship the ferry timetable app by July"`,
          ],
        ],
        vault: {
          files: {
            "Projects/Harbor/Plan v2.md": { contains: ["by July", "Cut booking errors"], notContains: ["by June"] },
          },
        },
      }),
    ],
  });
}

/** Commands the conversation has not shown: the model must look each up with getTools before using it. */
export function nexusDiscoverySet(): PromptSetInput {
  const discover = (
    id: string,
    request: string,
    agent: string,
    command: string,
    args: Record<string, ArgConstraint>,
    call: string,
    vault?: Parameters<typeof nexusCase>[0]["vault"],
  ) =>
    nexusCase({
      id,
      kind: "combo",
      request,
      discover: false,
      tags: ["discovery"],
      calls: [
        { tool: "toolManager_getTools", args: { tool: contains(agent) } },
        { tool: command, args },
      ],
      reference: [[{ tool: "toolManager_getTools", arguments: { tool: command } }], [call]],
      ...(vault ? { vault } : {}),
    });
  return nexusPromptSet({
    id: "nexus-discovery",
    title: "Nexus discovery: look a command up before using it",
    description:
      "Requests whose command the conversation has not shown. Nexus asks for getTools first; a case passes when the model looks the command up (its agent or the command itself), then runs it correctly.",
    cases: [
      discover(
        "discover_storage_move",
        `Move ${NOTES.oldIdeas} into the Archive/2025 folder.`,
        "storage",
        "storage move",
        { path: path(NOTES.oldIdeas), newPath: path("Archive/2025/Old Ideas.md") },
        `storage move "${NOTES.oldIdeas}" "Archive/2025/Old Ideas.md"`,
        {
          deleted: [NOTES.oldIdeas],
          files: { "Archive/2025/Old Ideas.md": { equals: NOTE_TEXT[NOTES.oldIdeas] as string } },
        },
      ),
      discover(
        "discover_set_property",
        `I finished The Overstory: set the status property of ${NOTES.overstory} to done.`,
        "content",
        "content set-property",
        { path: path(NOTES.overstory), property: exact("status"), value: exact("done") },
        `content set-property "${NOTES.overstory}" status done`,
        { files: { [NOTES.overstory]: { startsWith: "---\nstatus: done\n---\n" } } },
      ),
      discover(
        "discover_remove_property",
        `Take the to-review tag off ${NEXUS_NOTES.piranesi}.`,
        "content",
        "content remove-property",
        { path: path(NEXUS_NOTES.piranesi), property: exact("tags"), value: exact("to-review") },
        `content remove-property ${NEXUS_NOTES.piranesi} tags --value to-review`,
        { files: { [NEXUS_NOTES.piranesi]: { contains: ["fiction"], notContains: ["to-review"] } } },
      ),
      discover(
        "discover_create_project",
        "Start a task project called Garden beds.",
        "task",
        "task create-project",
        { name: exact("Garden beds") },
        'task create-project "Garden beds"',
        { memoryCreated: [{ collection: "projects", match: { name: exact("Garden beds") } }] },
      ),
      discover(
        "discover_list_canvases",
        "Which canvases do I have?",
        "canvas",
        "canvas list",
        { folder: { absent: true } },
        "canvas list",
      ),
    ],
  });
}

/** Requests that need no tool, with Nexus's two tools offered. */
export function nexusIrrelevanceSet(): PromptSetInput {
  return nexusPromptSet({
    id: "nexus-irrelevance",
    title: "Nexus irrelevance: requests that need no tool",
    description:
      "General questions and chit-chat with Nexus's tools offered. A case passes only when the model makes no call and the vault is unchanged.",
    cases: IRRELEVANT_REQUESTS.map(([id, request]) =>
      nexusCase({ id, kind: "irrelevance", request, tags: ["no-tool"], reference: [] }),
    ),
  });
}
