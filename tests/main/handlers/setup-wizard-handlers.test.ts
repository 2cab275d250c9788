/**
 * The setup wizard's channels against the HotelMate double on 127.0.0.1: the hotel check (known,
 * unknown, unreachable) and the test punch, which goes through the camera's pictures, the real
 * face models, HotelMate with the kiosk account and Pusher, reports each part, and writes nothing:
 * only GET requests reach HotelMate, no punch is stored on the kiosk.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CameraFrame } from '../../../src/main/camera/camera-service';
import type { FaceAnalyser } from '../../../src/main/face/face-service';
import { createEmitter } from '../../../src/main/lib/emitter';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import type { CameraStatus } from '../../../src/shared/domain/types';
import { createFakeClock } from '../../support/fake-clock';
import { decodePhotoAsFrame } from '../../support/media/photos';
import { realPipeline } from '../face/face-test-support';
import { createHandlerKit, type HandlerKit } from './handler-kit';

const stopTimers: (() => void)[] = [];
afterEach(() => {
  while (stopTimers.length > 0) stopTimers.pop()?.();
});

/** A camera that streams a still (a shared face photo, or a grey picture) 10 times a second into the kit's face service. */
function streamingCamera(photo: string | null): { camera: { status: () => CameraStatus; onFrame: ReturnType<typeof createEmitter<CameraFrame>>['subscribe'] }; attach: (k: HandlerKit) => void } {
  const frames = createEmitter<CameraFrame>('test frames', createMemoryLogger());
  const still = photo ? decodePhotoAsFrame(photo) : { width: 640, height: 480, rgb: new Uint8Array(640 * 480 * 3).fill(90) };
  return {
    camera: {
      status: () => ({ state: 'streaming', deviceId: '/dev/video0', deviceLabel: 'USB camera', message: null, fps: 10, restarts: 0 }),
      onFrame: frames.subscribe,
    },
    attach(k) {
      let seq = 0;
      const timer = setInterval(() => {
        const frame: CameraFrame = { seq: seq++, width: still.width, height: still.height, rgb: still.rgb.slice(), capturedAt: Date.now() };
        frames.emit(frame);
        k.face.submit(frame);
      }, 100);
      stopTimers.push(() => clearInterval(timer));
    },
  };
}

describe('setup:checkHotel', () => {
  it('knows a hotel HotelMate knows, says which part is wrong otherwise, and needs no sign-in', async () => {
    const k = await createHandlerKit({ clock: createFakeClock(), hotel: true });
    const double = k.hotel?.double;
    if (!double) throw new Error('no double');
    expect(await k.handlers['setup:checkHotel']({ apiBaseUrl: double.apiBaseUrl, hotelSlug: 'hotel-killarney' })).toEqual({ ok: true, faceAttendanceEnabled: true });
    expect(await k.handlers['setup:checkHotel']({ apiBaseUrl: double.apiBaseUrl, hotelSlug: 'hotel-kilarney' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await k.handlers['setup:checkHotel']({ apiBaseUrl: 'http://127.0.0.1:9/api', hotelSlug: 'hotel-killarney' })).toMatchObject({ ok: false, error: { code: 'unreachable' } });
    double.seed.setFaceAttendance('hotel-killarney', false);
    expect(await k.handlers['setup:checkHotel']({ apiBaseUrl: double.apiBaseUrl, hotelSlug: 'hotel-killarney' })).toEqual({ ok: true, faceAttendanceEnabled: false });
  });

  it('is an admin channel: behind the PIN once one is set', async () => {
    const k = await createHandlerKit({ clock: createFakeClock(), hotel: true });
    await k.admin.setPin('246810');
    await expect(k.router.dispatch('setup:checkHotel', [{ apiBaseUrl: 'https://hm.example/api', hotelSlug: 'x' }])).rejects.toThrow(/locked/i);
    await expect(k.router.dispatch('setup:testPunch', [])).rejects.toThrow(/locked/i);
  });
});

describe('setup:testPunch', () => {
  it('checks every part a punch needs with a face in view, and writes nothing anywhere', async () => {
    const pipeline = await realPipeline();
    const cam = streamingCamera('person-a-1.jpg');
    const k = await createHandlerKit({ clock: createFakeClock(), hotel: true, camera: cam.camera, analyser: pipeline });
    cam.attach(k);
    const double = k.hotel?.double;
    if (!double) throw new Error('no double');
    double.state.clearRequests();
    const report = await k.handlers['setup:testPunch']();
    expect(report.checks).toEqual([
      { id: 'camera', result: 'ok', code: 'pictures' },
      { id: 'faceModels', result: 'ok', code: 'face_found' },
      { id: 'hotelmate', result: 'ok', code: 'reachable' },
      { id: 'faceAttendance', result: 'ok', code: 'enabled' },
      { id: 'account', result: 'ok', code: 'accepted' },
      { id: 'pusher', result: 'skipped', code: 'off' },
    ]);
    expect(report.ok).toBe(true);
    // A dry run: reads only, nothing punched on HotelMate or stored here.
    const requests = double.state.requests();
    // (The kiosk's own start-up refresh reads the staff list and shifts meanwhile: reads too.)
    expect(requests.filter((r) => r.method !== 'GET')).toEqual([]);
    const paths = requests.map((r) => r.path);
    expect(paths).toContain('/api/hotels/hotel-killarney/face-config/');
    expect(paths).toContain('/api/staff/hotel/hotel-killarney/attendance/clock-logs/status/');
    expect(double.state.clockLogs()).toEqual([]);
    expect(k.services.clockService()?.ledger({ limit: 10 })).toEqual([]);
  }, 120_000);

  it('says what fails: a refused account, face attendance off, live updates on but not set up; no face in view is fine', async () => {
    const cam = streamingCamera(null);
    const k = await createHandlerKit({ clock: createFakeClock(), hotel: true, camera: cam.camera, analyser: await realPipeline() });
    cam.attach(k);
    k.hotel?.double.seed.setFaceAttendance('hotel-killarney', false);
    k.services.saveApiToken('0'.repeat(40));
    k.config.update({ pusher: { enabled: true, key: 'app-key' } });
    const report = await k.handlers['setup:testPunch']();
    expect(report.ok).toBe(false);
    expect(Object.fromEntries(report.checks.map((c) => [c.id, `${c.result}:${c.code}`]))).toEqual({
      camera: 'ok:pictures',
      faceModels: 'ok:no_face',
      hotelmate: 'ok:reachable',
      faceAttendance: 'failed:disabled',
      account: 'failed:refused',
      pusher: 'failed:not_configured',
    });
  }, 120_000);

  it('without a camera or a configured hotel it says so and skips what depends on them', async () => {
    const k = await createHandlerKit({
      clock: createFakeClock(),
      camera: { status: () => ({ state: 'no_device', deviceId: null, deviceLabel: null, message: 'none', fps: 0, restarts: 0 }), onFrame: () => () => undefined },
      setupCheckTimeoutMs: 300,
    });
    const report = await k.handlers['setup:testPunch']();
    expect(report.checks).toEqual([
      { id: 'camera', result: 'failed', code: 'no_device' },
      { id: 'faceModels', result: 'skipped', code: 'no_camera' },
      { id: 'hotelmate', result: 'skipped', code: 'not_configured' },
      { id: 'faceAttendance', result: 'skipped', code: 'not_configured' },
      { id: 'account', result: 'skipped', code: 'not_configured' },
      { id: 'pusher', result: 'skipped', code: 'off' },
    ]);
  });

  it('a camera that streams but sends no picture, and face models that never answer, are named', async () => {
    const k = await createHandlerKit({ clock: createFakeClock(), setupCheckTimeoutMs: 300 });
    const report = await k.handlers['setup:testPunch']();
    expect(report.checks.slice(0, 2)).toEqual([
      { id: 'camera', result: 'failed', code: 'no_pictures' },
      { id: 'faceModels', result: 'skipped', code: 'no_camera' },
    ]);
    const cam = streamingCamera(null);
    // Face models that never answer: the analyser drops every frame, as a worker that is stuck does.
    const neverAnswers: FaceAnalyser = { analyse: () => Promise.resolve(null) };
    const silent = await createHandlerKit({ clock: createFakeClock(), camera: cam.camera, analyser: neverAnswers, setupCheckTimeoutMs: 500 });
    cam.attach(silent);
    const second = await silent.handlers['setup:testPunch']();
    expect(second.checks.slice(0, 2)).toEqual([
      { id: 'camera', result: 'ok', code: 'pictures' },
      { id: 'faceModels', result: 'failed', code: 'no_answer' },
    ]);
  });
});
