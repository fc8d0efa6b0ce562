import type { PromptSetInput } from "@vault-tuner/shared";
import { contains, evalCase, exact, path, promptSet } from "./case-builders";
import { HARBOR_WORKSPACE, NOTE_TEXT, NOTES } from "../../src/evals/eval-vault";

/** Multi-step tasks: several calls, results used between them, judged on the calls and the vault they leave. */
export function combosSet(): PromptSetInput {
  return promptSet({
    id: "combos",
    title: "Combos: multi-step tasks",
    description:
      "Tasks that take two or three calls in order, where later calls depend on earlier results. Judged on every call and on the final vault.",
    cases: [
      evalCase({
        id: "combo_read_then_append",
        reference: [
          [{ tool: "contentManager_readContent", arguments: { filePath: NOTES.plan } }],
          [
            {
              tool: "contentManager_appendContent",
              arguments: { filePath: NOTES.status, content: "Risk: the payment provider contract ends in May.\n" },
            },
          ],
        ],
        kind: "combo",
        request: `Read ${NOTES.plan} and append a one-line summary of its risks to ${NOTES.status}.`,
        calls: [
          { tool: "contentManager_readContent", args: { filePath: path(NOTES.plan) } },
          {
            tool: "contentManager_appendContent",
            args: { filePath: path(NOTES.status), content: contains("payment") },
          },
        ],
        vault: { files: { [NOTES.status]: { startsWith: NOTE_TEXT[NOTES.status], contains: ["payment"] } } },
      }),
      evalCase({
        id: "combo_search_then_move",
        reference: [
          [{ tool: "vaultLibrarian_searchContent", arguments: { query: "Overstory" } }],
          [
            {
              tool: "vaultManager_moveNote",
              arguments: { path: NOTES.overstory, newPath: "Archive/The Overstory.md" },
            },
          ],
        ],
        kind: "combo",
        request: "Find my note about The Overstory and move it into the Archive folder, keeping its name.",
        calls: [
          { tool: "vaultLibrarian_searchContent", args: { query: contains("overstory") } },
          {
            tool: "vaultManager_moveNote",
            args: { path: path(NOTES.overstory), newPath: path("Archive/The Overstory.md") },
          },
        ],
        vault: {
          deleted: [NOTES.overstory],
          files: { "Archive/The Overstory.md": { equals: NOTE_TEXT[NOTES.overstory] } },
        },
        allowExtra: [],
      }),
      evalCase({
        id: "combo_workspace_status",
        reference: [
          [{ tool: "memoryManager_loadWorkspace", arguments: { id: HARBOR_WORKSPACE } }],
          [
            {
              tool: "contentManager_appendContent",
              arguments: { filePath: NOTES.status, content: "2026-05-08: beta build shared.\n" },
            },
          ],
        ],
        kind: "combo",
        request:
          "Load the Harbor workspace, then add the line '2026-05-08: beta build shared.' to the end of its status note.",
        calls: [
          { tool: "memoryManager_loadWorkspace", args: { id: exact(HARBOR_WORKSPACE) } },
          {
            tool: "contentManager_appendContent",
            args: { filePath: path(NOTES.status), content: contains("beta build shared") },
          },
        ],
        vault: {
          files: {
            [NOTES.status]: { startsWith: NOTE_TEXT[NOTES.status], contains: ["2026-05-08: beta build shared."] },
          },
        },
      }),
      evalCase({
        id: "combo_folder_and_brief",
        reference: [
          [
            { tool: "vaultManager_createFolder", arguments: { path: "Projects/Lighthouse" } },
            {
              tool: "contentManager_createContent",
              arguments: { filePath: "Projects/Lighthouse/Brief.md", content: "Lighthouse: a tide table widget\n" },
            },
          ],
        ],
        kind: "combo",
        request:
          "Create a folder Projects/Lighthouse and, inside it, a note Brief.md that says 'Lighthouse: a tide table widget'.",
        order: "any",
        calls: [
          { tool: "vaultManager_createFolder", args: { path: path("Projects/Lighthouse") } },
          {
            tool: "contentManager_createContent",
            args: { filePath: path("Projects/Lighthouse/Brief.md"), content: contains("tide table widget") },
          },
        ],
        vault: {
          foldersCreated: ["Projects/Lighthouse"],
          files: { "Projects/Lighthouse/Brief.md": { contains: ["Lighthouse: a tide table widget"] } },
        },
      }),
      evalCase({
        id: "combo_duplicate_then_edit",
        reference: [
          [
            {
              tool: "vaultManager_duplicateNote",
              arguments: { sourcePath: NOTES.curry, targetPath: "Kitchen/Recipes/Red Curry.md" },
            },
          ],
          [
            {
              tool: "contentManager_findReplaceContent",
              arguments: {
                filePath: "Kitchen/Recipes/Red Curry.md",
                findText: "Thai basil",
                replaceText: "red chillies",
              },
            },
          ],
        ],
        kind: "combo",
        request: `Copy ${NOTES.curry} to Kitchen/Recipes/Red Curry.md, then in the copy replace "Thai basil" with "red chillies".`,
        calls: [
          {
            tool: "vaultManager_duplicateNote",
            args: { sourcePath: path(NOTES.curry), targetPath: path("Kitchen/Recipes/Red Curry.md") },
          },
          {
            tool: "contentManager_findReplaceContent",
            args: {
              filePath: path("Kitchen/Recipes/Red Curry.md"),
              findText: exact("Thai basil"),
              replaceText: exact("red chillies"),
            },
          },
        ],
        vault: {
          files: {
            "Kitchen/Recipes/Red Curry.md": { contains: ["red chillies", "coconut milk"], notContains: ["Thai basil"] },
          },
        },
      }),
      evalCase({
        id: "combo_delete_then_save_state",
        reference: [
          [{ tool: "vaultManager_deleteNote", arguments: { path: NOTES.oldIdeas } }],
          [{ tool: "memoryManager_createState", arguments: { name: "Archive cleaned" } }],
        ],
        kind: "combo",
        request: `Delete ${NOTES.oldIdeas}, then save a state called 'Archive cleaned'.`,
        calls: [
          { tool: "vaultManager_deleteNote", args: { path: path(NOTES.oldIdeas) } },
          { tool: "memoryManager_createState", args: { name: contains("Archive cleaned") } },
        ],
        vault: {
          deleted: [NOTES.oldIdeas],
          memoryCreated: [{ collection: "states", match: { name: contains("archive cleaned") } }],
        },
      }),
      evalCase({
        id: "combo_list_then_read",
        reference: [
          [{ tool: "vaultManager_listDirectory", arguments: { path: "Meetings" } }],
          [{ tool: "contentManager_readContent", arguments: { filePath: NOTES.planning } }],
        ],
        kind: "combo",
        request: "List what is in the Meetings folder, then read the planning note you find there.",
        calls: [
          { tool: "vaultManager_listDirectory", args: { path: path("Meetings") } },
          { tool: "contentManager_readContent", args: { filePath: path(NOTES.planning) } },
        ],
      }),
      evalCase({
        id: "combo_session_search_append",
        reference: [
          [{ tool: "memoryManager_createSession", arguments: { name: "Curry night" } }],
          [{ tool: "vaultLibrarian_searchContent", arguments: { query: "coconut milk" } }],
          [
            {
              tool: "contentManager_appendContent",
              arguments: { filePath: NOTES.inbox, content: "- buy coconut milk\n" },
            },
          ],
        ],
        kind: "combo",
        request: `Start a session called 'Curry night', search my notes for coconut milk, and add "- buy coconut milk" to ${NOTES.inbox}.`,
        calls: [
          { tool: "memoryManager_createSession", args: { name: contains("Curry night") } },
          { tool: "vaultLibrarian_searchContent", args: { query: contains("coconut milk") } },
          {
            tool: "contentManager_appendContent",
            args: { filePath: path(NOTES.inbox), content: contains("buy coconut milk") },
          },
        ],
        vault: {
          files: { [NOTES.inbox]: { startsWith: NOTE_TEXT[NOTES.inbox], contains: ["- buy coconut milk"] } },
          memoryCreated: [{ collection: "sessions", match: { name: contains("curry night") } }],
        },
      }),
    ],
  });
}
