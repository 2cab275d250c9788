/**
 * Where a punch ends for each kind of answer at sync time, through the real ClockService, a real
 * SQLite ledger, the HotelMate double on 127.0.0.1 and an answering proxy in front of it (a captive
 * portal, a corporate proxy, a busy load balancer): only the documented outcomes go to a manager;
 * redirects and pages that are not the API pause the sync with the reason shown; everything else
 * backs off and retries. Afterwards each punch still reaches HotelMate exactly once.
 */
import { describe, expect, it } from 'vitest';
import type { ProxyReply } from '../../support/answering-proxy';
import { createHarness, type Harness } from './harness';

const PORTAL_PAGE = '<!DOCTYPE html><html><body><h1>Welcome to Hotel Wi-Fi</h1><p>Please accept the terms.</p></body></html>';
const PROBE_INTERVAL_MS = 3_600_000; // the harness's

interface Row {
  name: string;
  /** What answers the kiosk's face check instead of HotelMate (via the proxy), or a fault of the double. */
  arrange(h: Harness): void;
  /** Where the punch is after the first sync. */
  expected: { syncState: 'pending' | 'needs_review'; attempts: number; api: 'online' | 'offline' | 'paused'; reason: RegExp };
}

const viaProxy =
  (reply: ProxyReply) =>
  (h: Harness): void =>
    h.proxy?.answer('/face-clock-in/', reply);

const ROWS: Row[] = [
  {
    name: '301 to another address',
    arrange: viaProxy({ status: 301, headers: { location: 'https://hotel.example.com/api/' }, body: '' }),
    expected: { syncState: 'pending', attempts: 0, api: 'paused', reason: /answered with a redirect \(HTTP 301\), not the API/ },
  },
  {
    name: '302 to a captive portal',
    arrange: viaProxy({ status: 302, headers: { location: 'http://portal.local/login' }, body: PORTAL_PAGE }),
    expected: { syncState: 'pending', attempts: 0, api: 'paused', reason: /redirect \(HTTP 302\)/ },
  },
  {
    name: '200 with a captive portal page',
    arrange: viaProxy({ status: 200, body: PORTAL_PAGE }),
    // counted: a 2xx page may have replaced the answer of a request HotelMate carried out
    expected: { syncState: 'pending', attempts: 1, api: 'paused', reason: /answered with a page \(HTTP 200\), not the API/ },
  },
  {
    name: 'HTML 400 from a proxy',
    arrange: viaProxy({ status: 400, body: '<html><body>400 Bad Request: request header too large</body></html>' }),
    expected: { syncState: 'pending', attempts: 0, api: 'paused', reason: /answered with a page \(HTTP 400\), not the API/ },
  },
  {
    name: '404 without the documented body (an HTML page: a wrong API URL)',
    arrange: viaProxy({ status: 404, body: '<!DOCTYPE html><html><title>Page not found</title></html>' }),
    expected: { syncState: 'pending', attempts: 0, api: 'paused', reason: /page \(HTTP 404\)/ },
  },
  {
    name: '404 without the documented body (JSON that is not "Face not recognized")',
    arrange: viaProxy({ status: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ detail: 'Not found.' }) }),
    expected: { syncState: 'pending', attempts: 1, api: 'online', reason: /HTTP 404 Not found\. is not a documented answer/ },
  },
  {
    name: '404 with the documented body: face not recognised',
    arrange: viaProxy({
      status: 404,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: 'Face not recognized', confidence_score: 0.71, message: 'No matching face found or confidence too low' }),
    }),
    expected: { syncState: 'needs_review', attempts: 1, api: 'online', reason: /did not recognise the face at sync time/ },
  },
  {
    name: '408 request timeout',
    arrange: viaProxy({ status: 408, body: '<html>Request Timeout</html>' }),
    expected: { syncState: 'pending', attempts: 1, api: 'online', reason: /HTTP 408/ },
  },
  {
    name: '429 too many requests',
    arrange: viaProxy({ status: 429, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ detail: 'Request was throttled.' }) }),
    expected: { syncState: 'pending', attempts: 1, api: 'online', reason: /HTTP 429 Request was throttled/ },
  },
  {
    name: '502 HTML from a proxy',
    arrange: viaProxy({ status: 502, body: '<html><body>502 Bad Gateway</body></html>' }),
    expected: { syncState: 'pending', attempts: 1, api: 'online', reason: /HTTP 502/ },
  },
  {
    name: '503 maintenance',
    arrange: viaProxy({ status: 503, body: '<html>Down for maintenance</html>' }),
    expected: { syncState: 'pending', attempts: 1, api: 'online', reason: /HTTP 503/ },
  },
  {
    name: '500 after HotelMate wrote (its Pusher call failed)',
    arrange: (h) => h.double.faults.failAfterWrite({ path: 'face-clock-in' }),
    expected: { syncState: 'pending', attempts: 1, api: 'online', reason: /HTTP 500/ },
  },
  {
    name: 'timeout',
    arrange: (h) => h.double.faults.latency(600, { path: 'face-clock-in' }),
    expected: { syncState: 'pending', attempts: 1, api: 'offline', reason: /timeout: no answer within 300 ms/ },
  },
];

describe('sync: where a punch ends for each kind of answer', () => {
  it.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const h = await createHarness({ proxy: true, timeoutMs: 300 });
    const aoife = h.world.aoife;
    row.arrange(h);
    const punched = h.punch(aoife.id, 'clock_in', h.world.probes.aoife);
    if (!punched.ok) throw new Error('punch refused');
    await h.sync();

    const [first] = h.service.ledger({ limit: 1 });
    const { expected } = row;
    expect(first).toMatchObject({ syncState: expected.syncState, attempts: expected.attempts });
    expect(first?.lastError).toMatch(expected.reason);
    const connection = h.service.connection();
    expect(connection.api).toBe(expected.api);
    if (expected.api === 'paused') expect(connection.apiMessage).toMatch(expected.reason); // the reason is on show
    if (expected.syncState === 'needs_review') {
      expect(h.double.state.clockLogs({ staffId: aoife.id })).toHaveLength(0);
      return;
    }
    // A waiting punch keeps the person's status on screen as punched: nothing is lost.
    expect(h.service.effectiveStatus(aoife.id).status).toBe('on_duty');
    // Paused: nothing more is sent before the next probe interval. Retried: after the backoff.
    if (expected.api === 'paused') {
      await h.sync();
      expect(h.service.ledger({ limit: 1 })[0]?.syncState).toBe('pending');
      h.clock.advance(PROBE_INTERVAL_MS);
    }
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]?.syncState).toBe('synced');
    expect(h.service.connection().api).toBe('online');
    expect(h.double.state.clockLogs({ staffId: aoife.id })).toHaveLength(1);
  });

  it.each([
    ['in seconds', { 'retry-after': '120' }],
    ['as a date (read against the answer’s own Date)', { 'retry-after': 'Mon, 11 May 2026 09:02:00 GMT', date: 'Mon, 11 May 2026 09:00:00 GMT' }],
  ])('a 429 whose Retry-After asks to wait 120 s %s holds the punch back that long, then it syncs once', async (_name, headers) => {
    const h = await createHarness({ proxy: true, sync: { maxDelayMs: 300_000 } });
    h.proxy?.answer('/face-clock-in/', { status: 429, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ detail: 'Request was throttled.' }) });
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]?.lastError).toMatch(/HTTP 429 Request was throttled\.; HotelMate asked to wait 120 s;/);
    await h.sync(); // 10 s later: the backoff alone would have sent it again
    expect(h.service.ledger({ limit: 1 })[0]).toMatchObject({ syncState: 'pending', attempts: 1 });
    expect(h.endpoints()).toEqual([]);
    h.clock.advance(110_000);
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]?.syncState).toBe('synced');
    expect(h.double.state.clockLogs({ staffId: h.world.aoife.id })).toHaveLength(1);
  });

  it('a pause holds later punches back too, and lifts by itself when HotelMate answers the next trial', async () => {
    const h = await createHarness({ proxy: true, timeoutMs: 300 });
    h.proxy?.answer('/face-clock-in/', { status: 302, headers: { location: 'http://portal.local/' }, body: PORTAL_PAGE });
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    await h.sync();
    h.punch(h.world.conor.id, 'clock_in', h.world.probes.conor, 'Covering a shift');
    await h.sync();
    expect(h.proxy?.answered()).toHaveLength(1);
    expect(h.endpoints()).toEqual([]); // nothing reached HotelMate while paused
    expect(h.service.connection()).toMatchObject({ api: 'paused', pendingPunches: 2 });
    h.clock.advance(PROBE_INTERVAL_MS);
    await h.sync();
    expect(h.service.connection()).toMatchObject({ api: 'online', pendingPunches: 0, needsReview: 0 });
    expect(h.endpoints()).toEqual(['face-clock-in', 'face-clock-in', 'force-clock-in']);
  });
});
