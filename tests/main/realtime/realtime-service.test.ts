import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { systemClock } from '../../../src/main/lib/clock';
import { createRealtimeService, realtimeChannels, type RealtimeService } from '../../../src/main/realtime/realtime-service';
import type { RealtimeDomainEvent, Rejection } from '../../../src/main/realtime/normalise';
import type { RealtimeState } from '../../../src/shared/domain/types';
import { kioskConfigSchema } from '../../../src/shared/config/schema';
import { startSoketi, type SoketiHandle } from '../../support/soketi/soketi';
import { attendanceLog, deployedStartBreak, recordedEvents, seedExamples, specProfile, warningPayload } from './fixtures';
import { recordingClockService, SLUG, soketiConfig, waitForState } from './helpers';

let soketi: SoketiHandle;
const services: RealtimeService[] = [];

beforeAll(async () => {
  soketi = await startSoketi();
});
afterAll(async () => {
  await soketi?.stop();
});
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
});

function connect(patch: Parameters<typeof soketiConfig>[1] = {}, extra: { token?: string; subscribeTimeoutMs?: number; resubscribeDelayMs?: number } = {}) {
  const clockService = recordingClockService();
  const logger = createMemoryLogger();
  const service = createRealtimeService({ config: soketiConfig(soketi, patch), logger, clock: systemClock, clockService, ...extra });
  services.push(service);
  const events: RealtimeDomainEvent[] = [];
  const rejections: Rejection[] = [];
  const states: RealtimeState[] = [];
  service.onEvent((e) => events.push(e));
  service.onRejected((r) => rejections.push(r));
  service.onState((s) => states.push(s));
  return { service, clockService, logger, events, rejections, states };
}

/** Connected, subscribed and past the first catch-up. */
async function connected(patch: Parameters<typeof soketiConfig>[1] = {}, extra: Parameters<typeof connect>[1] = {}) {
  const ctx = connect(patch, extra);
  await ctx.service.start();
  await waitForState(ctx.service, 'connected');
  await vi.waitFor(() => expect(ctx.clockService.catchUps).toContain('reconnect'), { timeout: 10000 });
  return ctx;
}

describe('realtime service against a real Pusher-protocol server (soketi on 127.0.0.1)', () => {
  it('connects, subscribes to both documents\' channels and catches up once everything is subscribed', async () => {
    const ctx = connect();
    await ctx.service.start();
    expect(ctx.service.state()).toBe('connecting');
    await waitForState(ctx.service, 'connected');
    await vi.waitFor(() => expect(ctx.clockService.catchUps).toEqual(['reconnect']), { timeout: 10000 });
    expect(ctx.service.channels()).toEqual(['hotel-hotel-killarney', 'hotel-killarney.attendance', 'hotel-killarney', 'attendance-hotel-killarney-managers']);
    expect(ctx.states[0]).toBe('connecting');
  });

  it('applies clock status in both styles: recorded deployed envelopes and the spec\'s flat events', async () => {
    const ctx = await connected();
    const recorded = recordedEvents().filter((e) => e.event === 'clock_status_updated');
    for (const e of recorded) await soketi.trigger(e.channel, e.event, e.data);
    const seed = seedExamples().clock;
    await soketi.trigger(`hotel-${SLUG}`, 'clock-status-updated', seed);
    await soketi.trigger(`${SLUG}.attendance`, 'clock_status_updated', deployedStartBreak('sb-1', '2026-11-26T01:00:00+00:00'));

    await vi.waitFor(() => expect(ctx.clockService.statuses).toHaveLength(recorded.length + 2), { timeout: 10000 });
    expect(ctx.clockService.statuses.map((s) => [s.staffId, s.status, s.source])).toEqual([
      ...recorded.map((e) => {
        const p = e.data.payload as { staff_id: number; duty_status: string };
        return [p.staff_id, p.duty_status, 'realtime'];
      }),
      [123, 'on_break', 'realtime'],
      [2, 'on_break', 'realtime'],
    ]);
    expect(ctx.clockService.statuses.at(-2)).toMatchObject({ name: 'John Doe', department: 'Front Desk', breakStartedAt: '2025-12-02T15:30:00.000Z' });
    expect(ctx.clockService.statuses.at(-1)).toMatchObject({ breakStartedAt: '2026-11-26T01:00:00.000Z', name: 'Aoife Murphy' });
    expect(ctx.events.every((e) => e.type === 'clock_status_changed')).toBe(true);
    expect(ctx.service.stats()).toMatchObject({ events: recorded.length + 2, dropped: 0 });
    expect(ctx.service.stats().lastEventAt).not.toBeNull();
  });

  it('turns roster and profile events (both styles) into catch-ups, attendance logs into status, and passes warnings on', async () => {
    const ctx = await connected();
    const t = '2026-11-26T08:00:00+00:00';
    const seed = seedExamples().roster;
    await soketi.trigger(`hotel-${SLUG}`, 'roster-updated', seed);
    await vi.waitFor(() => expect(ctx.clockService.catchUps).toContain('roster'));
    await soketi.trigger(SLUG, 'roster_updated', { ...seed, roster_id: 790 });
    await soketi.trigger(`hotel-${SLUG}`, 'staff-profile-updated', specProfile(5, t));
    await soketi.trigger(SLUG, 'staff_profile_updated', specProfile(6, t));
    await soketi.trigger(SLUG, 'attendance_logged', attendanceLog(3, t));
    await soketi.trigger(`hotel-${SLUG}`, 'attendance-logged', attendanceLog(4, t));
    await soketi.trigger(`attendance-${SLUG}-managers`, 'staff-hard-limit-warning', warningPayload('hard_limit', 2, t));
    await vi.waitFor(() => expect(ctx.events).toHaveLength(7), { timeout: 10000 });

    expect(ctx.events.map((e) => e.type)).toEqual(['roster_changed', 'roster_changed', 'staff_profile_changed', 'staff_profile_changed', 'attendance_logged', 'attendance_logged', 'warning']);
    expect(ctx.clockService.catchUps.filter((r) => r === 'roster').length).toBeGreaterThanOrEqual(1);
    expect(ctx.clockService.catchUps).toContain('profile');
    expect(ctx.clockService.statuses.map((s) => [s.staffId, s.status])).toEqual([
      [3, 'on_duty'],
      [4, 'on_duty'],
    ]);
    expect(ctx.events.at(-1)).toMatchObject({ type: 'warning', kind: 'hard_limit', audience: 'managers', staffId: 2 });
  });

  it('ignores malformed, unknown, oversized and duplicated events without crashing, and keeps working', async () => {
    const ctx = await connected();
    const good = recordedEvents()[0]!;
    await soketi.trigger(good.channel, good.event, good.data);
    await soketi.trigger(good.channel, good.event, good.data); // duplicate event_id
    await soketi.trigger(`hotel-${SLUG}`, 'clock-status-updated', 'this is not json {');
    await soketi.trigger(`hotel-${SLUG}`, 'clock-status-updated', { staff_id: 'twelve', duty_status: 'on_duty' });
    await soketi.trigger(`${SLUG}.attendance`, 'clock_status_updated', { category: 'attendance', type: 'clock_status_updated', payload: null });
    await soketi.trigger(SLUG, 'pusherClockStatusUpdate', { staff_id: 1 });
    await soketi.trigger(`hotel-${SLUG}`, 'clock-status-updated', { staff_id: 9, duty_status: 'on_duty', filler: 'x'.repeat(70 * 1024) });
    await soketi.trigger(`hotel-${SLUG}`, 'room-type-image-updated', { room_type_id: 1, photo_url: 'https://x', timestamp: '2026-11-26T08:00:00+00:00' });
    await soketi.trigger(`hotel-${SLUG}`, 'clock-status-updated', { staff_id: 8, duty_status: 'on_duty', clock_time: '2026-11-26T08:00:00+00:00' });

    await vi.waitFor(() => expect(ctx.clockService.statuses.map((s) => s.staffId)).toEqual([2, 8]), { timeout: 10000 });
    await vi.waitFor(() => expect(ctx.rejections).toHaveLength(7));
    expect(ctx.rejections.map((r) => r.reason)).toEqual(['duplicate', 'invalid', 'invalid', 'invalid', 'unknown_event', 'oversized', 'irrelevant']);
    expect(ctx.service.stats()).toMatchObject({ events: 2, dropped: 7 });
    expect(ctx.service.state()).toBe('connected');
    const warnings = ctx.logger.records.filter((r) => r.level === 'warn' && r.message === 'realtime event rejected');
    expect(warnings).toHaveLength(5);
    for (const w of warnings) {
      expect(w.fields).toMatchObject({ channel: expect.any(String), event: expect.any(String) });
      expect(JSON.stringify(w.fields).length).toBeLessThan(2000); // the payload itself is never logged
    }
  });

  it('survives a server restart and catches up after reconnecting', async () => {
    const ctx = await connected();
    expect(ctx.clockService.catchUps).toEqual(['reconnect']);
    await soketi.restart();
    await vi.waitFor(() => expect(ctx.states).toContain('connecting'), { timeout: 10000 });
    await waitForState(ctx.service, 'connected', 30000);
    await vi.waitFor(() => expect(ctx.clockService.catchUps).toEqual(['reconnect', 'reconnect']), { timeout: 10000 });
    await soketi.trigger(`hotel-${SLUG}`, 'clock-status-updated', { staff_id: 11, action: 'clock_out', clock_time: '2026-11-26T09:00:00+00:00' });
    await vi.waitFor(() => expect(ctx.clockService.statuses).toMatchObject([{ staffId: 11, status: 'off_duty' }]), { timeout: 10000 });
  }, 60000);

  it('subscribes to private- channels through the HotelMate auth endpoint with the kiosk token', async () => {
    const seen: { authorization: string | undefined; channel: string }[] = [];
    const auth = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const { socket_id, channel_name } = JSON.parse(body) as { socket_id: string; channel_name: string };
        seen.push({ authorization: req.headers.authorization, channel: channel_name });
        if (req.url !== '/api/notifications/pusher/auth/' || req.headers.authorization !== 'Token kiosk-token') {
          res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'Staff authentication required' }));
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(soketi.authorizeChannel(socket_id, channel_name)));
      });
    });
    await new Promise<void>((resolve) => auth.listen(0, '127.0.0.1', resolve));
    const port = (auth.address() as AddressInfo).port;
    try {
      const ctx = await connected({ privateChannels: true, apiBaseUrl: `http://127.0.0.1:${port}/api` }, { token: 'kiosk-token' });
      expect(ctx.service.channels()).toEqual(realtimeChannels(SLUG, true));
      expect(seen.map((s) => s.channel).sort()).toEqual(realtimeChannels(SLUG, true).sort());
      expect(seen.every((s) => s.authorization === 'Token kiosk-token')).toBe(true);
      const e = recordedEvents()[0]!;
      await soketi.trigger(`private-${e.channel}`, e.event, e.data);
      await vi.waitFor(() => expect(ctx.clockService.statuses).toHaveLength(1), { timeout: 10000 });
      expect(ctx.logger.records.some((r) => JSON.stringify(r).includes('kiosk-token'))).toBe(false);

      // A refused token: subscriptions fail, the service says so, stays connected and still catches up.
      const refused = connect({ privateChannels: true, apiBaseUrl: `http://127.0.0.1:${port}/api` }, { token: 'wrong', subscribeTimeoutMs: 500, resubscribeDelayMs: 60000 });
      await refused.service.start();
      await waitForState(refused.service, 'connected');
      await vi.waitFor(() => expect(refused.clockService.catchUps).toEqual(['reconnect']), { timeout: 10000 });
      expect(refused.logger.records.some((r) => r.message === 'private channel auth failed' && String(r.fields?.error).includes('401'))).toBe(true);
      expect(refused.logger.records.some((r) => r.message === 'not every channel subscribed in time; catching up anyway')).toBe(true);
    } finally {
      await new Promise((resolve) => auth.close(resolve));
    }
  });

  it('reports disabled and connects nowhere when Pusher is not configured', async () => {
    const clockService = recordingClockService();
    const config = kioskConfigSchema.parse({ hotel: { slug: SLUG }, pusher: { enabled: false } });
    const service = createRealtimeService({ config, logger: createMemoryLogger(), clock: systemClock, clockService });
    await service.start();
    expect(service.state()).toBe('disabled');
    await service.stop();
    expect(clockService.catchUps).toEqual([]);
  });

  it('goes unavailable-or-connecting (not connected) when the server is down, and offline after stop', async () => {
    const down = await startSoketi();
    const port = down.port;
    await down.stop();
    const clockService = recordingClockService();
    const service = createRealtimeService({ config: soketiConfig({ port, key: soketi.key }), logger: createMemoryLogger(), clock: systemClock, clockService });
    services.push(service);
    await service.start();
    await new Promise((r) => setTimeout(r, 1500));
    expect(['connecting', 'unavailable']).toContain(service.state());
    await service.stop();
    expect(service.state()).toBe('offline');
    expect(clockService.catchUps).toEqual([]);
  });
});
