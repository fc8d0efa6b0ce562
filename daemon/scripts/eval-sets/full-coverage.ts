import type { ArgConstraint, EvalCaseInput, PromptSetInput } from "@vault-tuner/shared";
import { any, contains, evalCase, exact, path, promptSet } from "./case-builders";
import {
  EVAL_SESSION_ID,
  HARBOR_WORKSPACE,
  NOTE_TEXT,
  NOTES,
  PRIOR_SESSION,
  SAVED_STATE,
  SUMMARIZER_AGENT,
} from "../../src/evals/eval-vault";

/** A one-call case: the constraints, the reference call's arguments, and the vault it must leave. */
const single = (
  tool: string,
  request: string,
  args: Record<string, ArgConstraint>,
  reference: Record<string, unknown>,
  vault?: Parameters<typeof evalCase>[0]["vault"],
  notes?: string,
): EvalCaseInput =>
  evalCase({
    id: tool,
    kind: "single",
    request,
    calls: [{ tool, args }],
    reference: [[{ tool, arguments: reference }]],
    ...(vault ? { vault } : {}),
    ...(notes ? { notes } : {}),
  });

/** One case per catalog tool: the right tool, the right arguments, and the vault left as the request implies. */
export function fullCoverageSet(): PromptSetInput {
  const cases: EvalCaseInput[] = [
    // contentManager
    single(
      "contentManager_readContent",
      `What goes into my green curry? The recipe is in ${NOTES.curry}.`,
      { filePath: path(NOTES.curry) },
      { filePath: NOTES.curry },
    ),
    single(
      "contentManager_createContent",
      "Create a note at Projects/Harbor/Retro.md with the heading 'Harbor retro' and one line saying the design review went well.",
      { filePath: path("Projects/Harbor/Retro.md"), content: contains("Harbor retro") },
      { filePath: "Projects/Harbor/Retro.md", content: "# Harbor retro\n\nThe design review went well.\n" },
      { files: { "Projects/Harbor/Retro.md": { contains: ["Harbor retro", "design review"] } } },
    ),
    single(
      "contentManager_appendContent",
      `Add "- buy stamps" to the end of ${NOTES.inbox}.`,
      { filePath: path(NOTES.inbox), content: contains("buy stamps") },
      { filePath: NOTES.inbox, content: "- buy stamps\n" },
      { files: { [NOTES.inbox]: { startsWith: NOTE_TEXT[NOTES.inbox], contains: ["buy stamps"] } } },
    ),
    single(
      "contentManager_prependContent",
      `Put the line "Status: paused" at the very top of ${NOTES.overstory}.`,
      { filePath: path(NOTES.overstory), content: contains("Status: paused") },
      { filePath: NOTES.overstory, content: "Status: paused\n" },
      { files: { [NOTES.overstory]: { matches: "^\\s*Status: paused", endsWith: NOTE_TEXT[NOTES.overstory] } } },
    ),
    single(
      "contentManager_replaceContent",
      `In ${NOTES.overstory}, change "Status: reading" to "Status: finished".`,
      {
        filePath: path(NOTES.overstory),
        oldContent: contains("Status: reading"),
        newContent: contains("Status: finished"),
      },
      { filePath: NOTES.overstory, oldContent: "Status: reading", newContent: "Status: finished" },
      {
        files: {
          [NOTES.overstory]: { contains: ["Status: finished", "Richard Powers"], notContains: ["Status: reading"] },
        },
      },
    ),
    single(
      "contentManager_replaceByLine",
      `Replace line 3 of ${NOTES.status} with "2026-05-08: booking flow merged."`,
      {
        filePath: path(NOTES.status),
        startLine: exact(3),
        endLine: exact(3),
        newContent: contains("booking flow merged"),
      },
      { filePath: NOTES.status, startLine: 3, endLine: 3, newContent: "2026-05-08: booking flow merged." },
      {
        files: {
          [NOTES.status]: {
            startsWith: "# Harbor status\n",
            contains: ["2026-05-08: booking flow merged."],
            notContains: ["design review done"],
          },
        },
      },
    ),
    single(
      "contentManager_deleteContent",
      `Remove the line "- renew passport" from ${NOTES.inbox}.`,
      { filePath: path(NOTES.inbox), content: contains("renew passport") },
      { filePath: NOTES.inbox, content: "- renew passport\n" },
      { files: { [NOTES.inbox]: { contains: ["call the plumber"], notContains: ["renew passport"] } } },
    ),
    single(
      "contentManager_findReplaceContent",
      `In ${NOTES.curry}, find "Thai basil" and replace it with "holy basil".`,
      { filePath: path(NOTES.curry), findText: exact("Thai basil"), replaceText: exact("holy basil") },
      { filePath: NOTES.curry, findText: "Thai basil", replaceText: "holy basil" },
      { files: { [NOTES.curry]: { contains: ["holy basil", "coconut milk"], notContains: ["Thai basil"] } } },
    ),
    single(
      "contentManager_batchContent",
      `In one batch: append "- call the bank" to ${NOTES.inbox} and create Inbox/Errands.md with the line "- post office".`,
      { operations: any },
      {
        operations: [
          { type: "append", filePath: NOTES.inbox, content: "- call the bank\n" },
          { type: "create", filePath: "Inbox/Errands.md", content: "- post office\n" },
        ],
      },
      {
        files: {
          [NOTES.inbox]: { startsWith: NOTE_TEXT[NOTES.inbox], contains: ["call the bank"] },
          "Inbox/Errands.md": { contains: ["post office"] },
        },
      },
    ),
    // vaultManager
    single(
      "vaultManager_listDirectory",
      "What is in my Projects/Harbor folder?",
      { path: path("Projects/Harbor") },
      { path: "Projects/Harbor" },
    ),
    single(
      "vaultManager_createFolder",
      "Make a new folder Projects/Lighthouse.",
      { path: path("Projects/Lighthouse") },
      { path: "Projects/Lighthouse" },
      { foldersCreated: ["Projects/Lighthouse"] },
    ),
    single(
      "vaultManager_editFolder",
      "Rename the folder Archive/2025 to Archive/2024-2025.",
      { path: path("Archive/2025"), newPath: path("Archive/2024-2025") },
      { path: "Archive/2025", newPath: "Archive/2024-2025" },
      { foldersDeleted: ["Archive/2025"], foldersCreated: ["Archive/2024-2025"] },
    ),
    single(
      "vaultManager_deleteFolder",
      "Delete the empty folder Archive/2025.",
      { path: path("Archive/2025") },
      { path: "Archive/2025" },
      { foldersDeleted: ["Archive/2025"] },
    ),
    single(
      "vaultManager_deleteNote",
      `Delete ${NOTES.oldIdeas}; I don't need it any more.`,
      { path: path(NOTES.oldIdeas) },
      { path: NOTES.oldIdeas },
      { deleted: [NOTES.oldIdeas] },
    ),
    single(
      "vaultManager_moveNote",
      `Move ${NOTES.journal} into the Archive folder, keeping its name.`,
      { path: path(NOTES.journal), newPath: path("Archive/2026-05-07.md") },
      { path: NOTES.journal, newPath: "Archive/2026-05-07.md" },
      { deleted: [NOTES.journal], files: { "Archive/2026-05-07.md": { equals: NOTE_TEXT[NOTES.journal] } } },
    ),
    single(
      "vaultManager_moveFolder",
      "Move the folder Kitchen/Recipes to Library/Recipes.",
      { path: path("Kitchen/Recipes"), newPath: path("Library/Recipes") },
      { path: "Kitchen/Recipes", newPath: "Library/Recipes" },
      {
        foldersDeleted: ["Kitchen/Recipes"],
        deleted: [NOTES.curry],
        files: { "Library/Recipes/Green Curry.md": { equals: NOTE_TEXT[NOTES.curry] } },
      },
    ),
    single(
      "vaultManager_duplicateNote",
      `Make a copy of ${NOTES.plan} named Projects/Harbor/Plan v2.md.`,
      { sourcePath: path(NOTES.plan), targetPath: path("Projects/Harbor/Plan v2.md") },
      { sourcePath: NOTES.plan, targetPath: "Projects/Harbor/Plan v2.md" },
      { files: { "Projects/Harbor/Plan v2.md": { equals: NOTE_TEXT[NOTES.plan] } } },
    ),
    single(
      "vaultManager_openNote",
      `Open ${NOTES.planning} for me.`,
      { path: path(NOTES.planning) },
      { path: NOTES.planning },
    ),
    // vaultLibrarian
    single(
      "vaultLibrarian_searchContent",
      "Find the notes that mention the payment provider.",
      { query: contains("payment provider") },
      { query: "payment provider" },
    ),
    single(
      "vaultLibrarian_searchDirectory",
      "Which files under Projects have 'status' in their name?",
      { query: contains("status") },
      { query: "status", paths: ["Projects"] },
    ),
    single(
      "vaultLibrarian_searchMemory",
      "Search my saved sessions and states for anything about the Harbor kickoff.",
      { query: contains("kickoff") },
      { query: "kickoff", workspaceId: "all" },
    ),
    single(
      "vaultLibrarian_batch",
      "Run two searches at once: one for 'coconut milk' and one for 'timetable'.",
      { searches: any },
      {
        searches: [
          { type: "content", query: "coconut milk" },
          { type: "content", query: "timetable" },
        ],
      },
    ),
    // memoryManager
    single(
      "memoryManager_createSession",
      "Start a new session called 'Garden planning' for planning this year's garden.",
      { name: contains("Garden planning") },
      { name: "Garden planning", description: "Planning this year's garden" },
      { memoryCreated: [{ collection: "sessions", match: { name: contains("garden planning") } }] },
    ),
    single("memoryManager_listSessions", "Show me my recent sessions.", {}, {}),
    single(
      "memoryManager_loadSession",
      `Load my Harbor kickoff session, ${PRIOR_SESSION}.`,
      { sessionId: exact(PRIOR_SESSION) },
      { sessionId: PRIOR_SESSION },
      undefined,
      "sessionId is the session to load here; the context still carries the current one.",
    ),
    single(
      "memoryManager_updateSession",
      "Rename this session to 'Spring cleanup'.",
      { name: contains("Spring cleanup") },
      { targetSessionId: EVAL_SESSION_ID, name: "Spring cleanup" },
      { memoryChanged: [{ collection: "sessions", id: EVAL_SESSION_ID, match: { name: contains("spring cleanup") } }] },
    ),
    single(
      "memoryManager_createState",
      "Save a snapshot of where we are now, called 'Mid-cleanup'.",
      { name: contains("Mid-cleanup") },
      { name: "Mid-cleanup" },
      { memoryCreated: [{ collection: "states", match: { name: contains("mid-cleanup") } }] },
    ),
    single("memoryManager_listStates", "List the states I have saved.", {}, {}),
    single(
      "memoryManager_loadState",
      `Restore the saved state "Before the review" (${SAVED_STATE}).`,
      { stateId: exact(SAVED_STATE) },
      { stateId: SAVED_STATE },
    ),
    single(
      "memoryManager_updateState",
      `Tag the saved state ${SAVED_STATE} with "review".`,
      { stateId: exact(SAVED_STATE), addTags: exact(["review"]) },
      { stateId: SAVED_STATE, addTags: ["review"] },
      { memoryChanged: [{ collection: "states", id: SAVED_STATE, match: { tags: exact(["review"]) } }] },
    ),
    single(
      "memoryManager_createWorkspace",
      "Create a workspace called 'Garden' rooted at Areas/Garden, for planning this year's garden. The current goal is choosing seeds, and it has one workflow: a weekly review on Sundays.",
      { name: exact("Garden"), rootFolder: path("Areas/Garden"), workflows: any },
      {
        name: "Garden",
        rootFolder: "Areas/Garden",
        purpose: "Plan this year's garden",
        currentGoal: "Choose seeds",
        workflows: [{ name: "Weekly review", when: "Sundays", steps: ["Review the garden notes"] }],
      },
      {
        memoryCreated: [
          { collection: "workspaces", match: { name: exact("Garden"), rootFolder: path("Areas/Garden") } },
        ],
      },
    ),
    single("memoryManager_listWorkspaces", "Which workspaces do I have?", {}, {}),
    single(
      "memoryManager_loadWorkspace",
      "Load the Harbor workspace.",
      { id: exact(HARBOR_WORKSPACE) },
      { id: HARBOR_WORKSPACE },
    ),
    single(
      "memoryManager_updateWorkspace",
      "Set the Harbor workspace's current goal to 'Launch the beta'.",
      {
        workspaceId: exact(HARBOR_WORKSPACE),
        fieldPath: exact("context.currentGoal"),
        newValue: contains("Launch the beta"),
      },
      { workspaceId: HARBOR_WORKSPACE, fieldPath: "context.currentGoal", newValue: "Launch the beta" },
      {
        memoryChanged: [
          {
            collection: "workspaces",
            id: HARBOR_WORKSPACE,
            match: { "context.currentGoal": contains("launch the beta") },
          },
        ],
      },
    ),
    // agentManager
    single("agentManager_listAgents", "Which custom agents have I set up?", {}, {}),
    single("agentManager_getAgent", "Show me the details of my Summarizer agent.", {}, { id: SUMMARIZER_AGENT }),
    single(
      "agentManager_createAgent",
      "Create an agent called 'Proofreader' that fixes spelling. Its prompt: 'Correct spelling and grammar; change nothing else.'",
      { name: exact("Proofreader"), prompt: contains("spelling") },
      {
        name: "Proofreader",
        description: "Fixes spelling",
        prompt: "Correct spelling and grammar; change nothing else.",
      },
      { memoryCreated: [{ collection: "agents", match: { name: exact("Proofreader") } }] },
    ),
    single(
      "agentManager_updateAgent",
      `Change the prompt of the Summarizer agent (${SUMMARIZER_AGENT}) to 'Summarise in three bullets.'`,
      { id: exact(SUMMARIZER_AGENT), prompt: contains("three bullets") },
      { id: SUMMARIZER_AGENT, prompt: "Summarise in three bullets." },
      { memoryChanged: [{ collection: "agents", id: SUMMARIZER_AGENT, match: { prompt: contains("three bullets") } }] },
    ),
    single(
      "agentManager_deleteAgent",
      `Delete the Summarizer agent (${SUMMARIZER_AGENT}).`,
      { id: exact(SUMMARIZER_AGENT) },
      { id: SUMMARIZER_AGENT },
      { memoryDeleted: [{ collection: "agents", id: SUMMARIZER_AGENT }] },
    ),
    single(
      "agentManager_toggleAgent",
      `Switch off the Summarizer agent (${SUMMARIZER_AGENT}) for now.`,
      { id: exact(SUMMARIZER_AGENT) },
      { id: SUMMARIZER_AGENT },
      { memoryChanged: [{ collection: "agents", id: SUMMARIZER_AGENT, match: { isEnabled: exact(false) } }] },
    ),
    single("agentManager_listModels", "Which AI models can my agents use?", {}, {}),
    single(
      "agentManager_executePrompt",
      `Ask the Summarizer agent to summarise ${NOTES.plan}.`,
      { prompt: any },
      { agent: "Summarizer", prompt: "Summarise the Harbor plan.", filepaths: [NOTES.plan] },
      undefined,
      "The sandbox refuses to call an AI provider; the call itself is what is judged.",
    ),
    single(
      "agentManager_batchExecutePrompt",
      "Send two prompts in one batch: 'List the open risks' and 'List the next steps'.",
      { prompts: any },
      { prompts: [{ prompt: "List the open risks" }, { prompt: "List the next steps" }] },
      undefined,
      "The sandbox refuses to call an AI provider; the call itself is what is judged.",
    ),
    single(
      "agentManager_generateImage",
      "Generate an image of a lighthouse at dusk with Google's Imagen and save it to Assets/lighthouse.png.",
      { provider: exact("google"), savePath: path("Assets/lighthouse.png") },
      { prompt: "A lighthouse at dusk", provider: "google", savePath: "Assets/lighthouse.png" },
      undefined,
      "The sandbox refuses to call an AI provider; the call itself is what is judged.",
    ),
    // commandManager
    single(
      "commandManager_listCommands",
      "Which Obsidian commands are there for daily notes?",
      {},
      { filter: "daily" },
    ),
    single(
      "commandManager_executeCommand",
      "Run the Obsidian command daily-notes to open today's note.",
      { commandId: exact("daily-notes") },
      { commandId: "daily-notes" },
    ),
    // the meta tool
    single(
      "get_tools",
      "Look up which tools the vaultManager has before we reorganise anything.",
      { managers: exact(["vaultManager"]) },
      { managers: ["vaultManager"] },
    ),
  ];
  return promptSet({
    id: "full-coverage",
    title: "Full coverage: one task per tool",
    description:
      "One request per Claudesidian 3.x tool (47), each with the arguments that matter and the vault state it must leave. The vault and wording differ from the starter training data.",
    cases,
  });
}
