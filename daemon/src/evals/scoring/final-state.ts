import {
  MEMORY_COLLECTIONS,
  type FileExpectation,
  type MemoryCollection,
  type VaultExpectation,
} from "@vault-tuner/shared";
import { checkConstraints, deepEqual, normalizeVaultPath, short } from "./constraints";

/** A sandbox vault at one moment: every note's text by path, every folder, and the plugin's memory. */
export interface VaultSnapshot {
  files: Record<string, string>;
  folders: string[];
  memory: Record<MemoryCollection, Array<Record<string, unknown> & { id: string }>>;
}

const NO_CHANGES: VaultExpectation = {
  files: {},
  deleted: [],
  foldersCreated: [],
  foldersDeleted: [],
  memoryCreated: [],
  memoryChanged: [],
  memoryDeleted: [],
};

/**
 * Every way the final vault differs from the expected one: the starting vault with exactly the
 * expected changes applied. Empty when the task was done and nothing else was touched.
 */
export function compareFinalState(
  before: VaultSnapshot,
  after: VaultSnapshot,
  expectation: VaultExpectation = NO_CHANGES,
): string[] {
  return [
    ...compareFiles(before, after, expectation),
    ...compareFolders(before, after, expectation),
    ...compareMemory(before, after, expectation),
  ];
}

function isUnder(path: string, folder: string): boolean {
  return path === folder || path.startsWith(`${folder}/`);
}

function compareFiles(before: VaultSnapshot, after: VaultSnapshot, expectation: VaultExpectation): string[] {
  const problems: string[] = [];
  const foldersDeleted = expectation.foldersDeleted.map(normalizeVaultPath);
  const expected = new Map(Object.entries(expectation.files).map(([path, rule]) => [normalizeVaultPath(path), rule]));
  const deleted = new Set([
    ...expectation.deleted.map(normalizeVaultPath),
    ...Object.keys(before.files).filter((path) => foldersDeleted.some((folder) => isUnder(path, folder))),
  ]);
  for (const [path, content] of Object.entries(before.files)) {
    if (expected.has(path)) continue;
    const now = after.files[path];
    if (deleted.has(path)) {
      if (now !== undefined) problems.push(`${path} should have been deleted`);
    } else if (now === undefined) problems.push(`${path} was deleted or moved`);
    else if (now !== content) problems.push(`${path} was changed`);
  }
  for (const path of deleted)
    if (!(path in before.files)) problems.push(`${path} is to be deleted but the starting vault has no such file`);
  for (const [path, rule] of expected) {
    const now = after.files[path];
    if (now === undefined) problems.push(`${path} does not exist`);
    else problems.push(...checkFile(now, rule).map((problem) => `${path} ${problem}`));
  }
  for (const path of Object.keys(after.files)) {
    if (!(path in before.files) && !expected.has(path)) problems.push(`${path} was created`);
  }
  return problems;
}

/** Why a file's text does not meet its expectation. */
export function checkFile(text: string, rule: FileExpectation): string[] {
  const problems: string[] = [];
  const lower = text.toLowerCase();
  if (rule.equals !== undefined && text !== rule.equals)
    problems.push(`is ${short(text)}, expected ${short(rule.equals)}`);
  if (rule.startsWith !== undefined && !text.startsWith(rule.startsWith))
    problems.push(`does not start with ${short(rule.startsWith)}`);
  if (rule.endsWith !== undefined && !text.trimEnd().endsWith(rule.endsWith.trimEnd()))
    problems.push(`does not end with ${short(rule.endsWith)}`);
  for (const part of rule.contains ?? [])
    if (!lower.includes(part.toLowerCase())) problems.push(`lacks ${short(part)}`);
  for (const part of rule.notContains ?? [])
    if (lower.includes(part.toLowerCase())) problems.push(`still holds ${short(part)}`);
  if (rule.matches !== undefined && !new RegExp(rule.matches).test(text))
    problems.push(`does not match /${rule.matches}/`);
  return problems;
}

function parents(path: string): string[] {
  const parts = path.split("/");
  return parts.slice(0, -1).map((_, index) => parts.slice(0, index + 1).join("/"));
}

function compareFolders(before: VaultSnapshot, after: VaultSnapshot, expectation: VaultExpectation): string[] {
  const removed = expectation.foldersDeleted.map(normalizeVaultPath);
  const wanted = new Set<string>();
  const add = (folder: string) => {
    if (!removed.some((gone) => isUnder(folder, gone))) wanted.add(folder);
  };
  for (const folder of before.folders) add(folder);
  for (const path of Object.keys(expectation.files)) parents(normalizeVaultPath(path)).forEach(add);
  for (const folder of expectation.foldersCreated.map(normalizeVaultPath)) [...parents(folder), folder].forEach(add);
  const actual = new Set(after.folders);
  const problems: string[] = [];
  for (const folder of wanted) if (!actual.has(folder)) problems.push(`folder ${folder} does not exist`);
  for (const folder of actual)
    if (!wanted.has(folder))
      problems.push(
        removed.some((gone) => isUnder(folder, gone))
          ? `folder ${folder} should have been deleted`
          : `folder ${folder} was created`,
      );
  return problems;
}

function compareMemory(before: VaultSnapshot, after: VaultSnapshot, expectation: VaultExpectation): string[] {
  const problems: string[] = [];
  for (const collection of MEMORY_COLLECTIONS) {
    const singular = collection.slice(0, -1);
    const old = new Map(before.memory[collection].map((item) => [item.id, item]));
    const now = new Map(after.memory[collection].map((item) => [item.id, item]));
    const changed = new Map(
      expectation.memoryChanged.filter((rule) => rule.collection === collection).map((rule) => [rule.id, rule.match]),
    );
    const deleted = new Set(
      expectation.memoryDeleted.filter((rule) => rule.collection === collection).map((rule) => rule.id),
    );
    for (const [id, item] of old) {
      const current = now.get(id);
      if (deleted.has(id)) {
        if (current) problems.push(`${singular} ${id} should have been deleted`);
      } else if (!current) problems.push(`${singular} ${id} was deleted`);
      else if (changed.has(id)) {
        const unmet = checkConstraints(current, changed.get(id) ?? {});
        if (deepEqual(current, item)) problems.push(`${singular} ${id} was not changed`);
        else problems.push(...unmet.map((problem) => `${singular} ${id}: ${problem}`));
      } else if (!deepEqual(current, item)) problems.push(`${singular} ${id} was changed`);
    }
    for (const id of [...changed.keys(), ...deleted])
      if (!old.has(id)) problems.push(`${singular} ${id} is expected to change but the starting vault has none`);
    const created = [...now.values()].filter((item) => !old.has(item.id));
    const rules = expectation.memoryCreated.filter((rule) => rule.collection === collection);
    const unused = new Set(created);
    for (const rule of rules) {
      const match = [...unused].find((item) => checkConstraints(item, rule.match).length === 0);
      if (match) unused.delete(match);
      else {
        const closest = created[0];
        problems.push(
          `no new ${singular} matches the expectation${closest ? ` (${checkConstraints(closest, rule.match).join("; ")})` : ""}`,
        );
      }
    }
    for (const item of unused) problems.push(`${singular} ${item.id} was created`);
  }
  return problems;
}
