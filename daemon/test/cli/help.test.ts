import {
  DatasetBuildRequestSchema,
  DEFAULT_DEPLOY_FILE,
  EvalJobRequestSchema,
  ExportJobRequestSchema,
  QUANT_CHECK_ROWS,
} from "@vault-tuner/shared";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/command-table";
import { DEFAULT_SAMPLING } from "../../src/evals/backends/eval-backend";
import { runCli } from "../run-cli";

describe("vault-tuner <command> --help", () => {
  it("says, for every command, what it does, every option with what it does, and an example", async () => {
    for (const [name, command] of Object.entries(COMMANDS)) {
      const { code, stdout } = await runCli([...name.split(" "), "--help"]);
      expect(code, name).toBe(0);
      expect(stdout.startsWith(`vault-tuner ${name}: ${command.summary}\n`), name).toBe(true);
      for (const [option, spec] of Object.entries(command.options))
        expect(stdout, `${name} --${option}`).toMatch(
          new RegExp(`^ {2}--${option}\\b.*(\\n {26})?${escapeRegExp(spec.help)}$`, "m"),
        );
      expect(stdout, name).toContain(`\nexample: vault-tuner ${name}`);
    }
  });

  it("gives each eval command its own help, and names them when the group is called alone", async () => {
    const run = await runCli(["eval", "run", "--help"]);
    const compare = await runCli(["eval", "compare", "--help"]);
    expect(run.stdout).not.toBe(compare.stdout);
    expect(run.stdout).toMatch(
      /--turn-limit N +model turns per case \(default: each case's own, 8 in the built-in sets\)/,
    );
    expect(run.stdout).toMatch(/--max-tokens N +the token budget of one reply \(default 1024\)/);
    const alone = await runCli(["eval"]);
    expect(alone.code).toBe(2);
    expect(
      alone.stderr
        .split("\n")
        .filter((line) => line.startsWith("  eval "))
        .map((line) => line.trim().split(/ {2,}/)[0]),
    ).toEqual(["eval run", "eval compare", "eval import", "eval sets", "eval check", "eval recorded"]);
  });

  it("states the defaults the code uses", () => {
    const help = (name: string, option: string) => COMMANDS[name]?.options[option]?.help ?? "";
    const built = DatasetBuildRequestSchema.parse({ name: "x", sources: { traces: {} } });
    expect(help("dataset build", "holdout")).toContain(`(default ${built.holdout})`);
    expect(help("dataset build", "format")).toContain(`${built.format} (default)`);
    expect(help("dataset build", "profile")).toContain(`${built.profile} (default`);
    expect(help("dataset build", "balance")).toContain(`${built.balance} (default`);
    const exported = ExportJobRequestSchema.parse({ kind: "export", run: "job_x" });
    expect(help("export", "check-rows")).toContain(`(default ${QUANT_CHECK_ROWS})`);
    expect(help("export", "quant")).toContain(`(default ${exported.quant.join(" and ")})`);
    expect(help("export", "dtype")).toContain(`${exported.dtype} (default)`);
    expect(help("deploy", "file")).toContain(`else ${DEFAULT_DEPLOY_FILE})`);
  });

  it("refuses what the daemon's route would refuse, with the route's own limits", async () => {
    const tooMany = await runCli([
      "eval",
      "run",
      "--set",
      "irrelevance",
      "--backend",
      "openai",
      "--model",
      "x",
      "--repeat",
      "50",
    ]);
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toContain("--repeat 50: Too big: expected number to be <=20");
    expect(EvalJobRequestSchema.safeParse({ kind: "eval", set: "irrelevance", repeat: 50 }).success).toBe(false);
    const defaults = EvalJobRequestSchema.parse({ kind: "eval", set: "irrelevance" });
    expect({ temperature: defaults.temperature, topP: defaults.topP, maxTokens: defaults.maxTokens }).toEqual({
      temperature: DEFAULT_SAMPLING.temperature,
      topP: DEFAULT_SAMPLING.topP,
      maxTokens: DEFAULT_SAMPLING.maxTokens,
    });
  });

  it("points a mistyped option at the help", async () => {
    const { code, stderr } = await runCli(["train", "--datset", "x"]);
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--datset'");
    expect(stderr).toContain("(vault-tuner train --help says what each option does)");
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
