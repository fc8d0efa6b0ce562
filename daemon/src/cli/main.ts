import { describeError } from "@vault-tuner/shared";
import { parseArgs } from "node:util";
import { COMMANDS, parseOptions, type Command } from "./command-table";
import { processOutput, type Output } from "./output";
import { EXIT_OK, EXIT_USAGE, UsageError } from "./usage-error";

/** Where an option's description starts in `--help`, so the descriptions line up. */
const HELP_COLUMN = 26;

function usageLine(name: string, command: Command): string {
  const options = Object.entries(command.options).map(
    ([option, spec]) => `[--${option}${spec.value ? ` ${spec.value}` : ""}]${spec.multiple ? "..." : ""}`,
  );
  return ["vault-tuner", name, ...(command.args ? [command.args] : []), ...options].join(" ");
}

/** One command's help: what it does, how to call it, every option with what it does and its default, an example. */
export function commandHelp(name: string, command: Command): string {
  const lines = [`vault-tuner ${name}: ${command.summary}`, "", `usage: ${usageLine(name, command)}`];
  if (Object.keys(command.options).length > 0) {
    lines.push("", "options:");
    for (const [option, spec] of Object.entries(command.options)) {
      const flag = `  --${option}${spec.value ? ` ${spec.value}` : ""}`;
      lines.push(
        flag.length < HELP_COLUMN
          ? `${flag.padEnd(HELP_COLUMN)}${spec.help}`
          : `${flag}\n${" ".repeat(HELP_COLUMN)}${spec.help}`,
      );
    }
  }
  if (command.notes) lines.push("", command.notes);
  lines.push("", `example: ${command.example}`);
  return `${lines.join("\n")}\n`;
}

function help(): string {
  const lines = ["Vault Tuner: teach a local model to use your Obsidian vault's tools.", "", "Commands:"];
  for (const [name, command] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(19)} ${command.summary}`);
  lines.push("", "Run `vault-tuner <command> --help` for its options, their defaults and an example.");
  return `${lines.join("\n")}\n`;
}

/** The commands of a group (`eval` -> eval run, eval compare...), for a group named without its command. */
function groupHelp(group: string): string | undefined {
  const members = Object.entries(COMMANDS).filter(([name]) => name.startsWith(`${group} `));
  if (members.length === 0) return undefined;
  return `${[`vault-tuner ${group}: say which one`, ...members.map(([name, command]) => `  ${name.padEnd(19)} ${command.summary}`)].join("\n")}\n`;
}

/** Runs one CLI invocation and returns its exit code: 0 fine, 1 findings, 2 usage or input errors. */
export async function main(argv: string[], output: Output = processOutput): Promise<number> {
  const twoWords = argv.length >= 2 ? `${argv[0]} ${argv[1]}` : "";
  const [name, ...rest] = twoWords in COMMANDS ? [twoWords, ...argv.slice(2)] : argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    output.out(help());
    return name ? EXIT_OK : EXIT_USAGE;
  }
  const command = COMMANDS[name];
  if (!command) {
    const group = groupHelp(name);
    if (group)
      output.err(
        `${argv[1] && !argv[1].startsWith("-") ? `vault-tuner: unknown command "${name} ${argv[1]}"\n\n` : ""}${group}`,
      );
    else output.err(`vault-tuner: unknown command "${name}"\n\n${help()}`);
    return group && (argv[1] === "--help" || argv[1] === "-h") ? EXIT_OK : EXIT_USAGE;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    output.out(commandHelp(name, command));
    return EXIT_OK;
  }
  try {
    const parsed = parseArgs({ args: rest, options: parseOptions(command), allowPositionals: true, strict: true });
    const run = await command.load();
    return await run(parsed as { values: Record<string, unknown>; positionals: string[] }, output);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      output.err(
        `vault-tuner ${name}: ${describeError(error)}\nusage: ${usageLine(name, command)}\n(vault-tuner ${name} --help says what each option does)\n`,
      );
      return command.usageExit ?? EXIT_USAGE;
    }
    throw error;
  }
}
