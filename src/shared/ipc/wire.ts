/**
 * Wire format of the dev/test bridge: one WebSocket binary message per IPC message. Typed arrays
 * (preview frames) travel as raw bytes after a JSON header instead of being inflated into JSON.
 *
 *   [u32 LE header length][header JSON, UTF-8][binary part 0][binary part 1]...
 *
 * The header is `{ m: <message with {"__bin": i} placeholders>, b: [byte lengths] }`.
 */

export type BridgeMessage =
  | { t: 'hello'; token: string }
  | { t: 'ready' }
  | { t: 'req'; id: number; channel: string; args: unknown[] }
  | { t: 'res'; id: number; ok: true; value: unknown }
  | { t: 'res'; id: number; ok: false; error: string }
  | { t: 'evt'; channel: string; payload: unknown };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeMessage(message: BridgeMessage): Uint8Array {
  const parts: Uint8Array[] = [];
  const body = JSON.stringify(message, (_key, value: unknown) => {
    if (value instanceof Uint8Array) {
      parts.push(value);
      return { __bin: parts.length - 1 };
    }
    return value;
  });
  const fixed = `{"m":${body},"b":[${parts.map((p) => p.byteLength).join(',')}]}`;
  const headerBytes = encoder.encode(fixed);
  const total = 4 + headerBytes.byteLength + parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, headerBytes.byteLength, true);
  out.set(headerBytes, 4);
  let offset = 4 + headerBytes.byteLength;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

export function decodeMessage(data: Uint8Array): BridgeMessage {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const headerLength = view.getUint32(0, true);
  const header = JSON.parse(decoder.decode(data.subarray(4, 4 + headerLength))) as { m: unknown; b: number[] };
  const parts: Uint8Array[] = [];
  let offset = 4 + headerLength;
  for (const length of header.b) {
    parts.push(data.slice(offset, offset + length));
    offset += length;
  }
  const revive = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(revive);
    if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.__bin === 'number' && Object.keys(record).length === 1) return parts[record.__bin];
      // fromEntries defines each key as the object's own (an assignment of `__proto__` would set its prototype).
      return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, revive(v)]));
    }
    return value;
  };
  return revive(header.m) as BridgeMessage;
}
