/** The table that turns a failed HotelMate answer into a verdict: one row per kind of answer. */
import { describe, expect, it } from 'vitest';
import type { ApiFailure } from '../../../src/main/hotelmate/client';
import { classifyFailure, describeFailure } from '../../../src/main/sync/verdict';

const http = (status: number, message: string, body: unknown = { error: message }): ApiFailure => ({ ok: false, kind: 'http', status, message, body });

describe('classifyFailure', () => {
  it.each([
    [http(401, 'Invalid token.'), { kind: 'paused', message: 'HotelMate refused the kiosk account (401): Invalid token.' }],
    [http(403, 'Face attendance is not enabled'), { kind: 'paused', message: 'HotelMate refused the kiosk account (403): Face attendance is not enabled' }],
    [http(404, 'Face not recognized'), { kind: 'review', message: 'HotelMate did not recognise the face at sync time (face-clock-in): Face not recognized' }],
    [http(500, 'Server error'), { kind: 'retry', message: 'face-clock-in: HTTP 500 Server error; the server state is re-read before retrying' }],
    [http(503, 'Maintenance'), { kind: 'retry' }],
    [http(429, 'Slow down'), { kind: 'retry' }],
    [http(408, 'Request timeout'), { kind: 'retry' }],
    [http(400, 'No active clock-in found'), { kind: 'review', message: 'face-clock-in was refused (HTTP 400): No active clock-in found' }],
    [http(302, 'Found'), { kind: 'review' }],
    [{ ok: false, kind: 'bad_response', status: 200, message: 'face-clock-in: response is not JSON' }, { kind: 'retry', message: 'face-clock-in: response is not JSON' }],
    [{ ok: false, kind: 'network', message: 'ECONNRESET' }, { kind: 'retry', message: 'face-clock-in: network: ECONNRESET' }],
    [{ ok: false, kind: 'timeout', message: 'no answer within 15000 ms' }, { kind: 'retry', message: 'face-clock-in: timeout: no answer within 15000 ms' }],
  ] as [ApiFailure, Record<string, unknown>][])('%o -> %o', (failure, expected) => {
    expect(classifyFailure(failure, 'face-clock-in')).toMatchObject(expected);
  });

  it('keeps the body of an HTTP answer with the verdict for managers, but never with a pause', () => {
    const body = { error: 'Face not recognized', confidence: 0.7 };
    expect(classifyFailure(http(404, 'Face not recognized', body), 'x')).toMatchObject({ response: body });
    expect(classifyFailure(http(500, 'boom', '<html>'), 'x')).toMatchObject({ response: '<html>' });
    expect(classifyFailure(http(401, 'Invalid token.'), 'x')).not.toHaveProperty('response');
  });
});

describe('describeFailure', () => {
  it('says the HTTP status, or what kind of failure it was', () => {
    expect(describeFailure(http(500, 'boom'))).toBe('HTTP 500: boom');
    expect(describeFailure({ ok: false, kind: 'timeout', message: 'slow' })).toBe('timeout: slow');
  });
});
