import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../../src/shared/ipc/wire';

describe('bridge wire format', () => {
  it('round-trips a preview frame with its pixels as raw bytes, not JSON numbers', () => {
    const rgb = new Uint8Array(320 * 240 * 3).map((_, i) => i % 251);
    const encoded = encodeMessage({ t: 'evt', channel: 'camera:preview', payload: { seq: 7, width: 320, height: 240, rgb, capturedAt: 123 } });
    // Header + raw bytes: far smaller than a JSON array of numbers would be.
    expect(encoded.byteLength).toBeLessThan(rgb.byteLength + 200);
    const decoded = decodeMessage(encoded);
    expect(decoded.t).toBe('evt');
    const payload = (decoded as { payload: { rgb: Uint8Array; seq: number } }).payload;
    expect(payload.seq).toBe(7);
    expect(payload.rgb).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(payload.rgb).equals(Buffer.from(rgb))).toBe(true);
  });

  it('round-trips nested plain data and several binary parts', () => {
    const a = new Uint8Array([1, 2, 3]);
    const b = new Uint8Array([9]);
    const message = { t: 'res' as const, id: 3, ok: true as const, value: { list: [a, { inner: b }], text: 'ż ó ł', n: null } };
    const decoded = decodeMessage(encodeMessage(message)) as typeof message;
    expect(Array.from(decoded.value.list[0] as Uint8Array)).toEqual([1, 2, 3]);
    expect(Array.from((decoded.value.list[1] as { inner: Uint8Array }).inner)).toEqual([9]);
    expect(decoded.value.text).toBe('ż ó ł');
    expect(decoded.value.n).toBeNull();
  });
});
