import type { VaultFixture } from "@vault-tuner/shared";
import { evalVault } from "./eval-vault";

/**
 * The vault the built-in Nexus prompt sets start from: the 3.x sets' vault, plus what only Nexus
 * commands touch (a note with frontmatter, a canvas, a base, a task project with two tasks).
 */
export const NEXUS_EVAL_SESSION = "harbor-eval";
export const BOOKING_PROJECT = "proj_1746400000000_booking01";
export const SEAT_PICKER_TASK = "task_1746400000001_seatpick1";
export const PAYMENTS_TASK = "task_1746400000002_payments1";

export const NEXUS_NOTES = {
  piranesi: "Library/Books/Piranesi.md",
  canvas: "Boards/Harbor.canvas",
  base: "Dashboards/Reading.base",
} as const;

export const NEXUS_NOTE_TEXT: Record<string, string> = {
  [NEXUS_NOTES.piranesi]:
    "---\nstatus: reading\ntags:\n  - fiction\n  - to-review\n---\n# Piranesi\n\nAuthor: Susanna Clarke\n",
  [NEXUS_NOTES.canvas]: `${JSON.stringify(
    {
      nodes: [
        { id: "n1", type: "text", text: "Timetable import", x: 0, y: 0, width: 240, height: 60 },
        { id: "n2", type: "text", text: "Booking flow", x: 320, y: 0, width: 240, height: 60 },
      ],
      edges: [{ id: "e1", fromNode: "n1", toNode: "n2" }],
    },
    null,
    "\t",
  )}\n`,
  [NEXUS_NOTES.base]: 'filters: status == "reading"\nviews:\n  - type: table\n    name: Reading now\n',
};

export function nexusEvalVault(): VaultFixture {
  const vault = evalVault();
  const created = 1746400000000;
  return {
    ...vault,
    files: { ...vault.files, ...NEXUS_NOTE_TEXT },
    memory: {
      ...vault.memory,
      projects: [
        {
          id: BOOKING_PROJECT,
          name: "Booking flow",
          description: "The Harbor booking flow",
          status: "active",
          workspaceId: "default",
          metadata: {},
          created,
          updated: created,
        },
      ],
      tasks: [
        {
          id: SEAT_PICKER_TASK,
          projectId: BOOKING_PROJECT,
          title: "Design the seat picker",
          description: "",
          status: "todo",
          priority: "high",
          tags: [],
          dependsOn: [],
          linkedNotes: [],
          metadata: {},
          created: created + 1,
          updated: created + 1,
        },
        {
          id: PAYMENTS_TASK,
          projectId: BOOKING_PROJECT,
          title: "Connect payments",
          description: "",
          status: "todo",
          priority: "medium",
          tags: [],
          dependsOn: [SEAT_PICKER_TASK],
          linkedNotes: [],
          metadata: {},
          created: created + 2,
          updated: created + 2,
        },
      ],
    },
  };
}
