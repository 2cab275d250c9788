/** The table that turns a failed HotelMate answer into a verdict: one row per kind of answer. */
import { describe, expect, it } from 'vitest';
import type { ApiFailure } from '../../../src/main/hotelmate/client';
import { classifyFailure, describeFailure, pauseReason } from '../../../src/main/sync/verdict';

const http = (status: number, message: string, body: unknown = { error: message }): ApiFailure => ({ ok: false, kind: 'http', status, message, body });

const PORTAL_PAGE = '<html><body>Please sign in to the hotel Wi-Fi</body></html>';
const DJANGO_404 = '<!DOCTYPE html><html><head><title>Page not found at /api/staff/hotel/x/</title></head></html>';

describe('classifyFailure: only the documented outcomes go to a manager', () => {
  it.each([
    // documented semantic outcomes: review
    ['404 Face not recognized (face-clock-in, with message)', http(404, 'Face not recognized: No matching face found', { error: 'Face not recognized', confidence_score: 0.71, message: 'No matching face found or confidence too low' }), { kind: 'review', message: 'HotelMate did not recognise the face at sync time (face-clock-in): Face not recognized: No matching face found' }],
    ['404 Face not recognized (confirm-clock-out, no message)', http(404, 'Face not recognized', { error: 'Face not recognized', confidence_score: 0.7 }), { kind: 'review' }],
    ['400 No active clock-in found', http(400, 'No active clock-in found'), { kind: 'review', message: expect.stringMatching(/^HotelMate has no open session today \(UTC\)/) }],
    // the whole sync cannot work: pause with the reason shown
    ['401 Invalid token.', http(401, 'Invalid token.', { detail: 'Invalid token.' }), { kind: 'paused', message: 'HotelMate refused the kiosk account (401): Invalid token.' }],
    ['403 face attendance off', http(403, 'Face attendance is not enabled'), { kind: 'paused', message: 'HotelMate refused the kiosk account (403): Face attendance is not enabled' }],
    ['301 moved', http(301, 'HTTP 301', PORTAL_PAGE), { kind: 'paused', message: expect.stringMatching(/answered with a redirect \(HTTP 301\), not the API/) }],
    ['302 to a captive portal', http(302, 'HTTP 302', ''), { kind: 'paused', message: expect.stringMatching(/redirect \(HTTP 302\)/) }],
    ['400 HTML page from a proxy', http(400, 'HTTP 400', PORTAL_PAGE), { kind: 'paused', message: expect.stringMatching(/answered with a page \(HTTP 400\), not the API/) }],
    ['404 HTML page (wrong API URL)', http(404, 'HTTP 404', DJANGO_404), { kind: 'paused', message: expect.stringMatching(/page \(HTTP 404\)/) }],
    ['403 HTML page from a proxy', http(403, 'HTTP 403', '<html>Forbidden</html>'), { kind: 'paused', message: expect.stringMatching(/page \(HTTP 403\)/) }],
    // anything else: retried with backoff
    ['404 JSON without the documented body', http(404, 'Not found.', { detail: 'Not found.' }), { kind: 'retry', message: 'face-clock-in: HTTP 404 Not found. is not a documented answer; retried with backoff' }],
    ['409 JSON', http(409, 'Conflict'), { kind: 'retry' }],
    ['400 JSON validation failure', http(400, 'Validation failed', { error: 'Validation failed', details: { encoding: ['Encoding must be exactly 128 dimensions'] } }), { kind: 'retry' }],
    ['500 JSON', http(500, 'Server error'), { kind: 'retry', message: 'face-clock-in: HTTP 500 Server error; the server state is re-read before retrying' }],
    ['500 HTML (no faces registered)', http(500, 'HTTP 500 (server error)', '<h1>Server Error (500)</h1>'), { kind: 'retry' }],
    ['502 HTML from a proxy', http(502, 'HTTP 502 (server error)', '<html>Bad Gateway</html>'), { kind: 'retry' }],
    ['503', http(503, 'Maintenance'), { kind: 'retry' }],
    ['429', http(429, 'Slow down'), { kind: 'retry' }],
    ['408', http(408, 'Request timeout'), { kind: 'retry' }],
    ['2xx not JSON (cut short)', { ok: false, kind: 'bad_response', status: 200, message: 'face-clock-in: response is not JSON', body: '{"action":"clock_in_su' }, { kind: 'retry', message: 'face-clock-in: response is not JSON' }],
    ['2xx empty', { ok: false, kind: 'bad_response', status: 204, message: 'face-clock-in: response is not JSON (0 bytes)', body: '' }, { kind: 'retry' }],
    ['2xx page (captive portal)', { ok: false, kind: 'bad_response', status: 200, message: 'face-clock-in: response is not JSON', body: `\n ${PORTAL_PAGE}` }, { kind: 'paused', message: expect.stringMatching(/answered with a page \(HTTP 200\), not the API/), counted: true }],
    ['2xx JSON of another shape', { ok: false, kind: 'bad_response', status: 200, message: 'face-clock-in: unexpected response shape at action' }, { kind: 'retry' }],
    ['network', { ok: false, kind: 'network', message: 'ECONNRESET' }, { kind: 'retry', message: 'face-clock-in: network: ECONNRESET' }],
    ['timeout', { ok: false, kind: 'timeout', message: 'no answer within 15000 ms' }, { kind: 'retry', message: 'face-clock-in: timeout: no answer within 15000 ms' }],
  ] as [string, ApiFailure, Record<string, unknown>][])('%s', (_name, failure, expected) => {
    expect(classifyFailure(failure, 'face-clock-in')).toMatchObject(expected);
  });

  it('a write with no answer in time may still be carried out (unanswered); a read, or a write refused before sending, may not', () => {
    const timeout: ApiFailure = { ok: false, kind: 'timeout', message: 'no answer within 15000 ms' };
    for (const write of ['face-clock-in', 'force-clock-in', 'confirm-clock-out', 'toggle-break', 'create-clock-log']) {
      expect(classifyFailure(timeout, write)).toMatchObject({ kind: 'retry', unanswered: true });
    }
    expect(classifyFailure(timeout, 'staff-detail')).not.toHaveProperty('unanswered');
    expect(classifyFailure(timeout, 'clock-log')).not.toHaveProperty('unanswered');
    expect(classifyFailure({ ok: false, kind: 'network', message: 'ECONNRESET socket hang up' }, 'toggle-break')).toMatchObject({ unanswered: true });
    expect(classifyFailure({ ok: false, kind: 'network', message: 'ECONNREFUSED connect ECONNREFUSED 127.0.0.1:9' }, 'toggle-break')).not.toHaveProperty('unanswered');
    expect(classifyFailure({ ok: false, kind: 'network', message: 'ENOTFOUND getaddrinfo ENOTFOUND hotel.example' }, 'face-clock-in')).not.toHaveProperty('unanswered');
  });

  it('keeps the body of an HTTP answer with the verdict for managers, but never with a pause', () => {
    const body = { error: 'Face not recognized', confidence: 0.7 };
    expect(classifyFailure(http(404, 'Face not recognized', body), 'x')).toMatchObject({ response: body });
    expect(classifyFailure(http(500, 'boom', '<html>'), 'x')).toMatchObject({ response: '<html>' });
    expect(classifyFailure(http(401, 'Invalid token.'), 'x')).not.toHaveProperty('response');
    expect(classifyFailure(http(302, 'HTTP 302', PORTAL_PAGE), 'x')).not.toHaveProperty('response');
  });

  it('pauseReason() says why a probe answer stops the sync, and nothing for answers that do not', () => {
    expect(pauseReason(http(302, 'HTTP 302', ''))).toMatch(/redirect/);
    expect(pauseReason(http(401, 'Invalid token.'))).toBe('HotelMate refused the kiosk account (401): Invalid token.');
    expect(pauseReason(http(500, 'boom'))).toBeNull();
    expect(pauseReason({ ok: false, kind: 'timeout', message: 'slow' })).toBeNull();
  });
});

describe('describeFailure', () => {
  it('says the HTTP status, or what kind of failure it was', () => {
    expect(describeFailure(http(500, 'boom'))).toBe('HTTP 500: boom');
    expect(describeFailure({ ok: false, kind: 'timeout', message: 'slow' })).toBe('timeout: slow');
  });
});
