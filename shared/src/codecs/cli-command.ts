/**
 * Nexus 5.x CLI command strings, as `toolManager_useTools` takes them in its `tool` argument:
 * `storage move --path a.md --new-path b.md, content read "b.md"`. Commands are separated by commas
 * outside quotes; values with spaces are double-quoted with `\"`, `\\` and `\n` escapes; an unquoted
 * `@key` refers to the call's `values` map.
 */
export interface CliToken {
  text: string;
  quoted: boolean;
}

export type CliSplit = { ok: true; commands: CliToken[][] } | { ok: false; error: string };

export function splitCliCommands(input: string): CliSplit {
  const commands: CliToken[][] = [];
  let tokens: CliToken[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (ch === ",") {
      commands.push(tokens);
      tokens = [];
      i++;
    } else if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"' || ch === "'") {
      const read = readQuoted(input, i);
      if (!read) return { ok: false, error: `unclosed ${ch} quote starting at character ${i + 1}` };
      tokens.push({ text: read.text, quoted: true });
      i = read.end;
    } else {
      let end = i;
      while (end < input.length && !/[\s,]/.test(input[end] as string)) end++;
      tokens.push({ text: input.slice(i, end), quoted: false });
      i = end;
    }
  }
  commands.push(tokens);
  return { ok: true, commands: commands.filter((command) => command.length > 0) };
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r" };

function readQuoted(input: string, start: number): { text: string; end: number } | undefined {
  const quote = input[start];
  let text = "";
  for (let i = start + 1; i < input.length; i++) {
    const ch = input[i] as string;
    if (ch === "\\" && i + 1 < input.length) {
      const next = input[i + 1] as string;
      text += ESCAPES[next] ?? next;
      i++;
    } else if (ch === quote) {
      return { text, end: i + 1 };
    } else {
      text += ch;
    }
  }
  return undefined;
}
