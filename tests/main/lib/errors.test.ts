import { describe, expect, it } from 'vitest';
import { errorCode, errorMessage, toLogFormat } from '../../../src/main/lib/errors';

describe('error formatting', () => {
  it('gives the short message of errors, strings and plain values', () => {
    expect(errorMessage(new Error('disk full'))).toBe('disk full');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage({ status: 500 })).toBe('{"status":500}');
  });

  it('puts name, code and stack into the log format', () => {
    const error = Object.assign(new Error('no such file'), { code: 'ENOENT' });
    const line = toLogFormat(error);
    expect(line.startsWith('Error(ENOENT): no such file\n')).toBe(true);
    expect(errorCode(error)).toBe('ENOENT');
    expect(errorCode('x')).toBeUndefined();
  });
});

describe('errorMessage keeps biometric payloads out', () => {
  it('replaces typed arrays and long number arrays by their size', () => {
    const text = errorMessage({ descriptor: new Float32Array(128), values: Array.from({ length: 128 }, (_, i) => i / 7) });
    expect(text).toBe('{"descriptor":"[binary 512 bytes]","values":"[128 numbers]"}');
  });
});
