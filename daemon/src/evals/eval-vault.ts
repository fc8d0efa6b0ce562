import type { VaultFixture } from "@vault-tuner/shared";
import { systemPrompt } from "../datasets/sources/system-prompt";

/**
 * The vault the built-in prompt sets start from. It is not the starter dataset's vault: other notes,
 * other names, other ids, so a model is not scored on requests it was trained on.
 */
export const EVAL_SESSION_ID = "session_1746500000000_evalrun01";
export const HARBOR_WORKSPACE = "ws_1746000000000_harbor001";
export const PRIOR_SESSION = "session_1746100000000_prior0001";
export const SAVED_STATE = "state_1746200000000_snap00001";
export const SUMMARIZER_AGENT = "agent_1746300000000_summar001";

export const NOTES = {
  plan: "Projects/Harbor/Plan.md",
  status: "Projects/Harbor/Status.md",
  planning: "Meetings/2026-05-06 Planning.md",
  journal: "Journal/2026-05-07.md",
  curry: "Kitchen/Recipes/Green Curry.md",
  overstory: "Library/Books/The Overstory.md",
  inbox: "Inbox/Quick Notes.md",
  oldIdeas: "Archive/Old Ideas.md",
} as const;

export const NOTE_TEXT: Record<string, string> = {
  [NOTES.plan]:
    "# Harbor plan\n\n## Goals\n- Ship the ferry timetable app by June\n- Cut booking errors in half\n\n## Risks\n- The payment provider contract ends in May\n",
  [NOTES.status]: "# Harbor status\n\n2026-05-04: design review done.\n",
  [NOTES.planning]:
    "# Planning 2026-05-06\n\nAttendees: Priya, Tom\n\n- Timetable import is slow\n- Decide on the map provider by Friday\n",
  [NOTES.journal]: "# Thursday\n\nLong walk by the river. Read two chapters of The Overstory.\n",
  [NOTES.curry]: "# Green curry\n\n- 400 ml coconut milk\n- 2 tbsp curry paste\n- Thai basil\n",
  [NOTES.overstory]: "# The Overstory\n\nAuthor: Richard Powers\nStatus: reading\n",
  [NOTES.inbox]: "- call the plumber\n- renew passport\n",
  [NOTES.oldIdeas]: "# Old ideas\n\n- a podcast about bridges\n",
};

export function evalVault(): VaultFixture {
  return {
    files: { ...NOTE_TEXT },
    folders: ["Archive/2025"],
    memory: {
      workspaces: [
        {
          id: HARBOR_WORKSPACE,
          name: "Harbor",
          description: "The ferry timetable app",
          rootFolder: "Projects/Harbor",
          context: {
            purpose: "Ship the ferry timetable app",
            currentGoal: "Finish the booking flow",
            workflows: [],
            keyFiles: [NOTES.plan],
            preferences: "",
          },
          created: 1746000000000,
          sessions: {},
        },
      ],
      sessions: [
        {
          id: EVAL_SESSION_ID,
          name: "Vault housekeeping",
          description: "Tidying notes and planning the week",
          sessionGoal: "",
          workspaceId: "default",
          startTime: 1746500000000,
        },
        {
          id: PRIOR_SESSION,
          name: "Harbor kickoff",
          description: "First planning session for Harbor",
          sessionGoal: "Agree the scope",
          workspaceId: HARBOR_WORKSPACE,
          startTime: 1746100000000,
        },
      ],
      states: [
        {
          id: SAVED_STATE,
          name: "Before the review",
          description: "Harbor before the design review",
          sessionId: PRIOR_SESSION,
          workspaceId: HARBOR_WORKSPACE,
          activeTask: "Prepare the design review",
          tags: [],
          created: 1746200000000,
        },
      ],
      agents: [
        {
          id: SUMMARIZER_AGENT,
          name: "Summarizer",
          description: "Summarises notes",
          prompt: "Summarise the given notes in five bullets.",
          isEnabled: true,
          created: 1746300000000,
        },
      ],
    },
  };
}

/**
 * The system prompt the model was trained with (same words, same `<session_context>`), plus the
 * workspaces it may load, as later seed data lists them.
 */
export function evalSystemPrompt(): string {
  return `${systemPrompt({ sessionId: EVAL_SESSION_ID, workspaceId: "default" })}\n\n<available_workspaces>\n- ${HARBOR_WORKSPACE} (Harbor: the ferry timetable app)\n</available_workspaces>`;
}
