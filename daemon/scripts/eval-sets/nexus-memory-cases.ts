import type { EvalCaseInput } from "@vault-tuner/shared";
import { HARBOR_WORKSPACE, SAVED_STATE } from "../../src/evals/eval-vault";
import { BOOKING_PROJECT, PAYMENTS_TASK, SEAT_PICKER_TASK } from "../../src/evals/nexus-eval-vault";
import { any, contains, exact, path } from "./case-builders";
import { single } from "./nexus-notes-cases";

const harbor = { oneOf: ["Harbor", HARBOR_WORKSPACE] };
const savedState = { oneOf: ["Before the review", SAVED_STATE] };
/** The calls that find the booking project's id, as a model must before a command that takes it. */
const findProject = ["task list-projects"];
const findTasks = [`task list ${BOOKING_PROJECT}`];
const inHarbor = (command: string) => ({
  tool: "toolManager_useTools",
  arguments: { tool: command, workspaceId: "Harbor" },
});

/** memory and task: one case per command the sandbox runs. */
export function memoryCases(): EvalCaseInput[] {
  return [
    single("memory list-workspaces", "Which workspaces do I have?", {}, [["memory list-workspaces"]]),
    single("memory load-workspace", "Load my Harbor workspace.", { workspace: harbor }, [
      ["memory load-workspace Harbor"],
    ]),
    single(
      "memory create-workspace",
      "Create a workspace called Garden for planning the vegetable beds; its notes live in the Garden folder.",
      { name: exact("Garden"), rootFolder: path("Garden"), purpose: any, description: any },
      [['memory create-workspace Garden "Garden notes" Garden "Plan the vegetable beds"']],
      { memoryCreated: [{ collection: "workspaces", match: { name: exact("Garden"), rootFolder: exact("Garden") } }] },
    ),
    single(
      "memory update-workspace",
      "Change the Harbor workspace's purpose to 'Ship the timetable app and the booking flow'.",
      { id: harbor, purpose: contains("booking flow") },
      [['memory update-workspace Harbor --purpose "Ship the timetable app and the booking flow"']],
      {
        memoryChanged: [
          { collection: "workspaces", id: HARBOR_WORKSPACE, match: { "context.purpose": contains("booking flow") } },
        ],
      },
    ),
    single(
      "memory archive-workspace",
      "The Harbor project is over: archive its workspace.",
      { name: harbor },
      [["memory archive-workspace Harbor"]],
      { memoryChanged: [{ collection: "workspaces", id: HARBOR_WORKSPACE, match: { isArchived: exact(true) } }] },
    ),
    single("memory search-workspaces", "Do I have a workspace about ferries?", { query: contains("ferr") }, [
      ["memory search-workspaces ferry"],
    ]),
    single(
      "memory create-state",
      "Save a checkpoint called 'Inbox triage': I'm sorting Inbox/Quick Notes.md, and next I'll file the passport task.",
      { name: contains("Inbox triage"), activeFiles: any, nextSteps: any },
      [
        [
          'memory create-state "Inbox triage" "Sorting the quick notes in the inbox." "Sorting Inbox/Quick Notes.md" --active-files "Inbox/Quick Notes.md" --next-steps "File the passport task"',
        ],
      ],
      {
        memoryCreated: [
          { collection: "states", match: { name: contains("Inbox triage"), workspaceId: exact("default") } },
        ],
      },
    ),
    single("memory list-states", "What saved states do I have in the Harbor workspace?", {}, [
      [inHarbor("memory list-states")],
    ]),
    single(
      "memory load-state",
      "In the Harbor workspace, load the saved state 'Before the review'.",
      { name: savedState },
      [[inHarbor('memory load-state "Before the review"')]],
    ),
    single(
      "memory update-state",
      "In the Harbor workspace, tag the saved state 'Before the review' with review.",
      { name: savedState, tags: exact(["review"]) },
      [[inHarbor('memory update-state "Before the review" --tags review')]],
      { memoryChanged: [{ collection: "states", id: SAVED_STATE, match: { tags: exact(["review"]) } }] },
    ),
    single(
      "memory archive-state",
      "In the Harbor workspace, archive the saved state 'Before the review'.",
      { name: savedState },
      [[inHarbor('memory archive-state "Before the review"')]],
      { memoryChanged: [{ collection: "states", id: SAVED_STATE, match: { isArchived: exact(true) } }] },
    ),
    single(
      "task create-project",
      "Start a task project called Garden beds.",
      { name: exact("Garden beds") },
      [['task create-project "Garden beds"']],
      { memoryCreated: [{ collection: "projects", match: { name: exact("Garden beds"), status: exact("active") } }] },
    ),
    single("task list-projects", "What task projects do I have?", {}, [["task list-projects"]]),
    single(
      "task update-project",
      "Rename the Booking flow project to 'Booking and payments'.",
      { projectId: exact(BOOKING_PROJECT), name: exact("Booking and payments") },
      [findProject, [`task update-project ${BOOKING_PROJECT} --name "Booking and payments"`]],
      {
        memoryChanged: [
          { collection: "projects", id: BOOKING_PROJECT, match: { name: exact("Booking and payments") } },
        ],
      },
    ),
    single(
      "task archive-project",
      "Archive the Booking flow project.",
      { projectId: exact(BOOKING_PROJECT) },
      [findProject, [`task archive-project ${BOOKING_PROJECT}`]],
      { memoryChanged: [{ collection: "projects", id: BOOKING_PROJECT, match: { status: exact("archived") } }] },
    ),
    single(
      "task create",
      "Add a high-priority task 'Write the refund policy' to the Booking flow project.",
      { projectId: exact(BOOKING_PROJECT), title: contains("refund policy"), priority: exact("high") },
      [findProject, [`task create ${BOOKING_PROJECT} "Write the refund policy" --priority high`]],
      {
        memoryCreated: [
          { collection: "tasks", match: { projectId: exact(BOOKING_PROJECT), title: contains("refund policy") } },
        ],
      },
    ),
    single("task list", "What tasks are in the Booking flow project?", { projectId: exact(BOOKING_PROJECT) }, [
      findProject,
      findTasks,
    ]),
    single(
      "task update",
      "Mark the seat picker task in Booking flow as done.",
      { taskId: exact(SEAT_PICKER_TASK), status: exact("done") },
      [findProject, findTasks, [`task update ${SEAT_PICKER_TASK} --status done`]],
      { memoryChanged: [{ collection: "tasks", id: SEAT_PICKER_TASK, match: { status: exact("done") } }] },
    ),
    single(
      "task move",
      "In Booking flow, make 'Connect payments' a subtask of 'Design the seat picker'.",
      { taskId: exact(PAYMENTS_TASK), parentTaskId: exact(SEAT_PICKER_TASK) },
      [findProject, findTasks, [`task move ${PAYMENTS_TASK} --parent-task-id ${SEAT_PICKER_TASK}`]],
      { memoryChanged: [{ collection: "tasks", id: PAYMENTS_TASK, match: { parentTaskId: exact(SEAT_PICKER_TASK) } }] },
    ),
    single(
      "task link-note",
      "Link Projects/Harbor/Plan.md to the seat picker task in Booking flow.",
      { taskId: exact(SEAT_PICKER_TASK), notePath: path("Projects/Harbor/Plan.md") },
      [findProject, findTasks, [`task link-note ${SEAT_PICKER_TASK} Projects/Harbor/Plan.md`]],
      {
        memoryChanged: [
          {
            collection: "tasks",
            id: SEAT_PICKER_TASK,
            match: { linkedNotes: exact([{ notePath: "Projects/Harbor/Plan.md", linkType: "reference" }]) },
          },
        ],
      },
    ),
    single(
      "task query",
      "Which tasks in the Booking flow project can I start right now?",
      { projectId: exact(BOOKING_PROJECT), query: exact("nextActions") },
      [findProject, [`task query ${BOOKING_PROJECT} nextActions`]],
    ),
  ];
}
