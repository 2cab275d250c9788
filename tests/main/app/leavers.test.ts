/**
 * The consent's promise kept end to end, in the kiosk as composed for real (createKioskApp: SQLite
 * file, job queue, revoke path, reference cache, realtime service): when HotelMate says a person
 * left, live (`staff_profile_updated` with `action: deactivated` on the `<slug>` channel, through a
 * real soketi) or in its staff list (`is_active: false` at a refresh), their templates leave the
 * kiosk, their face is revoked on HotelMate (the test double on 127.0.0.1), and managers see it in
 * `enrol:leavers`. A profile change that is not a departure removes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createKioskApp, type KioskApp } from '../../../src/main/app/create-kiosk-app';
import { TOKEN_SECRET } from '../../../src/main/lifecycle/kiosk-services';
import { plainCipher } from '../../../src/main/secrets/secret-store';
import { createHotelMateDouble, type HotelMateDouble, type KillarneyWorld } from '../../support/hotelmate-double';
import { startSoketi, type SoketiHandle } from '../../support/soketi/soketi';

const ROOT = path.resolve(__dirname, '../../..');

let soketi: SoketiHandle;
let double: HotelMateDouble;
let world: KillarneyWorld;
let app: KioskApp;
let dataDir: string;

const enrolled = (): number[] => app.face.templates.list().map((p) => p.staffId);
const activeOnHotelMate = (staffId: number): boolean => double.state.faces().some((f) => f.staffId === staffId && f.isActive);

beforeAll(async () => {
  soketi = await startSoketi();
  double = await createHotelMateDouble({
    onPusherEvent: (channel, event, data) => {
      soketi.trigger(channel, event, data).catch(() => undefined);
    },
  });
  world = double.seed.killarney();
  // One data folder for the whole file (the kiosk keeps running from test to test).
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-leavers-'));
  app = await createKioskApp({
    dataDir,
    cipher: plainCipher,
    modelsDir: path.join(ROOT, 'models'),
    versions: { app: 'test' },
    exit: () => undefined,
    configPatch: {
      hotel: { slug: world.hotelSlug, name: 'Hotel Killarney' },
      api: { baseUrl: double.apiBaseUrl, probeIntervalSeconds: 5 },
      pusher: { enabled: true, key: soketi.key, host: '127.0.0.1', port: soketi.port, useTLS: false, cluster: 'mt1' },
      camera: { device: 'file:/nonexistent/camera.mp4' },
    },
  });
  app.secrets.set(TOKEN_SECRET, world.manager.token);
  for (const person of [world.aoife, world.conor, world.niamh]) {
    const encoding = person.id === world.conor.id ? world.encodings.conor : world.encodings.aoife.map((v, i) => v + (person.id === world.niamh.id ? 0.2 * Math.sin(i) : 0));
    app.face.templates.addTemplate(person.id, Float32Array.from(encoding), 'test', 1);
  }
  await app.start();
  await vi.waitFor(() => expect(app.services.realtime()?.state()).toBe('connected'), { timeout: 20_000 });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await double?.close();
  await soketi?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('leavers', () => {
  it('a live "deactivated" event removes the face here and on HotelMate, and managers see it', async () => {
    expect(activeOnHotelMate(world.aoife.id)).toBe(true);
    await soketi.trigger(world.hotelSlug, 'staff_profile_updated', {
      staff_id: world.aoife.id,
      user_id: 501,
      action: 'deactivated',
      first_name: 'Aoife',
      last_name: 'Murphy',
      department: 'Front Office',
      is_active: false,
      timestamp: new Date().toISOString(),
    });
    await vi.waitFor(() => expect(enrolled()).not.toContain(world.aoife.id), { timeout: 10_000 });
    await vi.waitFor(() => expect(activeOnHotelMate(world.aoife.id)).toBe(false), { timeout: 10_000 });
    // Listed once the revocation has answered.
    await vi.waitFor(async () =>
      expect((await app.handlers['enrol:leavers']())[0]).toMatchObject({
        staffId: world.aoife.id,
        name: 'Aoife Murphy',
        source: 'realtime',
        reason: 'deactivated',
        templatesRemoved: 1,
        server: 'revoked',
      }),
    );
    // Everyone else keeps their face.
    expect(enrolled()).toEqual(expect.arrayContaining([world.conor.id, world.niamh.id]));
  }, 30_000);

  it('a profile change that is not a departure removes nothing', async () => {
    await soketi.trigger(world.hotelSlug, 'staff_profile_updated', {
      staff_id: world.niamh.id,
      user_id: 503,
      action: 'updated',
      first_name: 'Niamh',
      last_name: 'Byrne',
      is_active: true,
      timestamp: new Date().toISOString(),
    });
    // The event triggers a staff-list refresh; wait for it, then check nothing changed.
    const before = app.services.clockService()?.reference.lastRefresh().staff;
    await vi.waitFor(() => expect(app.services.clockService()?.reference.lastRefresh().staff).not.toBe(before), { timeout: 10_000 });
    expect(enrolled()).toContain(world.niamh.id);
    expect((await app.handlers['enrol:leavers']()).map((r) => r.staffId)).toEqual([world.aoife.id]);
  }, 30_000);

  it('a person HotelMate lists as inactive at a refresh loses their face too (no event needed)', async () => {
    double.seed.setStaffActive(world.conor.id, false);
    await app.services.clockService()?.catchUp('test: staff list refresh');
    await vi.waitFor(() => expect(enrolled()).not.toContain(world.conor.id), { timeout: 10_000 });
    await vi.waitFor(() => expect(activeOnHotelMate(world.conor.id)).toBe(false), { timeout: 10_000 });
    await vi.waitFor(async () =>
      expect((await app.handlers['enrol:leavers']())[0]).toMatchObject({ staffId: world.conor.id, source: 'staff_list', reason: 'deactivated', server: 'revoked' }),
    );
    expect(enrolled()).toEqual([world.niamh.id]);
    // Logged for support (the staff id and what happened, no face data).
    await vi.waitFor(() => {
      const logs = fs.readdirSync(app.logDir).map((f) => fs.readFileSync(path.join(app.logDir, f), 'utf8')).join('\n');
      const lines = logs.split('\n').filter((l) => l.includes('face of a leaver removed'));
      expect(lines).toHaveLength(2);
      expect(lines.join('\n')).toContain(`"staffId":${world.conor.id}`);
    });
  }, 30_000);
});
