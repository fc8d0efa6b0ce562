import { writeFileSync } from "node:fs";

/**
 * A GGUF file (version 3) with string metadata and no tensors: enough for what reads only the
 * metadata, such as Ollama's template check. The layout is GGUF's: magic, version, tensor count,
 * key-value count, then each key (u64 length + bytes), its type (8 = string) and its value.
 */
export function writeMetadataGguf(file: string, metadata: Record<string, string>): void {
  const parts: Buffer[] = [Buffer.from("GGUF"), u32(3), u64(0), u64(Object.keys(metadata).length)];
  for (const [key, value] of Object.entries(metadata)) parts.push(text(key), u32(8), text(value));
  writeFileSync(file, Buffer.concat(parts));
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
}

function u64(value: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(BigInt(value));
  return buffer;
}

function text(value: string): Buffer {
  const bytes = Buffer.from(value, "utf8");
  return Buffer.concat([u64(bytes.length), bytes]);
}
