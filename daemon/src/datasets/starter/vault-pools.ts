/** A made-up but ordinary vault: the notes, folders and topics the starter requests talk about. */
export const NOTES = [
  { path: "Projects/Atlas/Roadmap.md", topic: "the Atlas roadmap" },
  { path: "Projects/Atlas/Launch Checklist.md", topic: "the Atlas launch checklist" },
  { path: "Meetings/2026-03-02 Standup.md", topic: "Monday's standup" },
  { path: "Meetings/Vendor Review.md", topic: "the vendor review" },
  { path: "Daily/2026-03-04.md", topic: "today's daily note" },
  { path: "Research/Papers/Retrieval Augmentation.md", topic: "the retrieval augmentation paper" },
  { path: "Areas/Health/Sleep Log.md", topic: "my sleep log" },
  { path: "Areas/Home/Garden Plan.md", topic: "the garden plan" },
  { path: "Reading/Books/Deep Work.md", topic: "my Deep Work notes" },
  { path: "Finance/Budget 2026.md", topic: "the 2026 budget" },
  { path: "Recipes/Lentil Soup.md", topic: "the lentil soup recipe" },
  { path: "Inbox/Ideas.md", topic: "my ideas inbox" },
] as const;

export const FOLDERS = [
  "Projects/Atlas",
  "Meetings",
  "Daily",
  "Research/Papers",
  "Areas/Health",
  "Archive/2025",
  "Reading/Books",
  "Finance",
] as const;

export const QUERIES = [
  "quarterly budget",
  "onboarding checklist",
  "vendor contract renewal",
  "sleep quality",
  "API rate limits",
  "tomato seedlings",
  "launch date",
  "reading list",
] as const;

export const SNIPPETS = [
  "## Action items\n- Email Dana about the budget\n- Book the review room for Thursday",
  "- Slept 7h 20m, woke up once\n- Energy: good",
  "## Notes\nThe launch moves to April 14 so QA can finish the migration tests.",
  "> Focus is a skill: schedule deep work blocks before noon.",
  "## Shopping\n- Red lentils\n- Cumin\n- Lemons",
  "Decision: we renew the contract for one year and revisit pricing in Q3.",
] as const;

export const AGENTS = [
  {
    id: "agent_1741000000000_summarize",
    name: "Meeting Summarizer",
    prompt: "Summarise meeting notes into decisions and action items.",
  },
  {
    id: "agent_1741000000001_research",
    name: "Research Assistant",
    prompt: "Answer questions from the research notes and cite the note paths.",
  },
  {
    id: "agent_1741000000002_weekly",
    name: "Weekly Reviewer",
    prompt: "Review the week's daily notes and list open loops.",
  },
] as const;

export const STATES = [
  "state_1741000000000_atlasplan",
  "state_1741000000001_budgetrev",
  "state_1741000000002_readinglog",
] as const;

export const COMMANDS = [
  { id: "daily-notes", label: "open today's daily note" },
  { id: "editor:toggle-fold", label: "fold the current heading" },
  { id: "graph:open", label: "open the graph view" },
] as const;
