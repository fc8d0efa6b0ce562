/**
 * What the import graph must keep: no cycles anywhere, and the layering the design asks for. Run by
 * `npm run lint:deps` (part of `npm test`); `npx depcruise --output-type text <folder>` shows the graph.
 */
const STAGES = "(train|export|deploy|evals|datasets|models|inference|vault-server|bases|recorder)";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle: the files in it cannot be read, tested or changed one at a time.",
      from: {},
      to: { circular: true },
    },
    {
      name: "jobs-import-no-stage",
      severity: "error",
      comment:
        "The queue and the pipeline know the stages only through the JobKind interface (jobs/job-kind.ts); http/stage-jobs.ts wires them.",
      from: { path: "^daemon/src/jobs/" },
      to: { path: `^daemon/src/${STAGES}/` },
    },
    {
      name: "stages-import-no-service",
      severity: "error",
      comment:
        "Stages do their work for the daemon and the CLI alike: neither the HTTP service nor the CLI belongs below them.",
      from: { path: `^daemon/src/${STAGES}/` },
      to: { path: "^daemon/src/(http|cli)/" },
    },
    {
      name: "shared-is-the-contract",
      severity: "error",
      comment: "shared/ is bundled into the plugin and used by the daemon: it imports neither.",
      from: { path: "^shared/src/" },
      to: { path: "^(daemon|plugin)/" },
    },
    {
      name: "plugin-and-daemon-meet-in-shared",
      severity: "error",
      comment: "The plugin and the daemon speak only through the contract in shared/.",
      from: { path: "^plugin/src/" },
      to: { path: "^daemon/" },
    },
    {
      name: "no-tests-in-sources",
      severity: "error",
      from: { path: "^(daemon|plugin|shared)/src/" },
      to: { path: "/test/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)node_modules/|\\.d\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
      extensions: [".ts", ".mjs", ".js", ".cjs"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
