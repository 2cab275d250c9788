/**
 * The always-running services wired to the screens: a face decision becomes the event the screen
 * shows (a recognition opens a session a punch can use, bound to its face track; the end of the
 * track closes it and names it to the screen), camera frames feed the preview and the
 * face service, and a config change reconfigures only what it touches. Real hub, config holder,
 * sessions and kiosk info; the camera, face and services are small hand-driven fakes.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/shared/config/schema';
import type { CameraStatus, EffectiveStatus, FaceObservation } from '../../../src/shared/domain/types';
import type { AdminStatus } from '../../../src/shared/domain/admin';
import type { EnrolmentStep } from '../../../src/shared/domain/enrolment';
import type { EventChannel } from '../../../src/shared/ipc/contract';
import { wireKioskEvents } from '../../../src/main/app/event-wiring';
import type { CameraConfig, CameraFrame } from '../../../src/main/camera/camera-service';
import { createEventHub } from '../../../src/main/channels/event-hub';
import { createConfigHolder } from '../../../src/main/config/config-holder';
import type { FaceDecision, FaceMatch } from '../../../src/main/face/face-types';
import { createRecognitionSessions } from '../../../src/main/face/recognition-sessions';
import { createKioskInfoSource } from '../../../src/main/handlers/kiosk-info';
import { createEmitter } from '../../../src/main/lib/emitter';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createFakeClock } from '../../support/fake-clock';

function wired() {
  const logger = createMemoryLogger();
  const clock = createFakeClock(new Date('2026-11-27T09:00:00.000Z'));
  const config = createConfigHolder(defaultConfig(), null, logger);
  const events = createEventHub(logger);
  const sent: { channel: EventChannel; payload: unknown }[] = [];
  events.subscribe((channel, payload) => sent.push({ channel, payload }));
  const frames = createEmitter<CameraFrame>('frames', logger);
  const decisions = createEmitter<FaceDecision>('decisions', logger);
  const submitted: number[] = [];
  const cameraConfigs: CameraConfig[] = [];
  let rebuilds = 0;
  /** Status re-reads asked for, answered by the test (`answer`), or at once with `on_duty` when `autoAnswer`. */
  const reads: { staffId: number; budgetMs: number; answer: (status: EffectiveStatus) => void }[] = [];
  const control = { autoAnswer: true };
  const sessions = createRecognitionSessions({ clock, ttlMs: () => 60_000 });
  const unwire = wireKioskEvents({
    logger,
    config,
    events,
    camera: {
      onFrame: frames.subscribe,
      onStatus: createEmitter<CameraStatus>('status', logger).subscribe,
      setConfig: async (next) => {
        cameraConfigs.push(next);
      },
    },
    face: {
      submit: (frame) => submitted.push(frame.seq),
      onObservation: createEmitter<FaceObservation>('observations', logger).subscribe,
      onDecision: decisions.subscribe,
      templates: { list: () => [{ staffId: 7, name: 'Jane Doe', templates: 5, consentAt: null, registeredWithServer: true }] },
      enrolment: { onProgress: createEmitter<EnrolmentStep>('enrolment', logger).subscribe },
    },
    admin: { onStatus: createEmitter<AdminStatus>('admin', logger).subscribe },
    sessions,
    services: {
      clockService: () => null,
      refreshStatus: (staffId, budgetMs) =>
        new Promise<EffectiveStatus>((resolve) => {
          if (control.autoAnswer) resolve({ staffId, status: 'on_duty', breakStartedAt: null, pendingPunches: 1, updatedAt: null });
          else reads.push({ staffId, budgetMs, answer: resolve });
        }),
      rebuild: async () => {
        rebuilds += 1;
      },
    },
    info: createKioskInfoSource({ config, hasToken: () => false, problems: () => [], versions: {} }),
    toPreview: (frame, width) => ({ seq: frame.seq, width, height: 1, rgb: new Uint8Array(3), capturedAt: frame.capturedAt }),
  });
  const channels = (): EventChannel[] => sent.map((s) => s.channel);
  return { config, sent, channels, frames, decisions, submitted, cameraConfigs, rebuilds: () => rebuilds, sessions, reads, control, unwire };
}

const match = (staffId: number): FaceMatch => ({
  staffId,
  distance: 0.29,
  secondBestDistance: null,
  model: 'faceapi-128',
  liveDescriptor: new Float32Array(128).fill(0.5),
  liveness: null,
  spoofSuspected: false,
});

/** Lets promise callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('kiosk event wiring', () => {
  it('turns a recognition into the greeting with a session id, never the descriptor', async () => {
    const w = wired();
    w.decisions.emit({ kind: 'recognised', trackId: 1, match: match(7), at: Date.parse('2026-11-27T09:00:01Z') });
    await settle();
    const recognised = w.sent.find((s) => s.channel === 'face:recognised')?.payload as { recognitionId: string; staff: { name: string }; status: { status: string } };
    expect(recognised.staff.name).toBe('Jane Doe'); // no roster yet: the enrolled name
    expect(recognised.status.status).toBe('on_duty');
    expect(w.sessions.find(recognised.recognitionId)).toMatchObject({ staffId: 7, trackId: 1 });
    expect(JSON.stringify(recognised)).not.toContain('0.5');

    w.decisions.emit({ kind: 'recognised', trackId: 2, match: match(9), at: Date.parse('2026-11-27T09:00:02Z') });
    await settle();
    expect((w.sent.at(-1)?.payload as { staff: { name: string } }).staff.name).toBe('Staff #9');
  });

  it('greets with the status re-read within 500 ms, and never with a recognition a newer decision replaced meanwhile', async () => {
    const w = wired();
    w.control.autoAnswer = false;
    w.decisions.emit({ kind: 'recognised', trackId: 1, match: match(7), at: Date.parse('2026-11-27T09:00:01Z') });
    expect(w.reads.map((r) => [r.staffId, r.budgetMs])).toEqual([[7, 500]]);
    expect(w.channels()).not.toContain('face:recognised'); // not before HotelMate answered (or the budget ran out)
    w.reads[0]?.answer({ staffId: 7, status: 'on_break', breakStartedAt: '2026-11-27T08:50:00.000Z', pendingPunches: 0, updatedAt: '2026-11-27T09:00:01.000Z', freshness: { source: 'live', asOf: '2026-11-27T09:00:01.000Z' } });
    await settle();
    const greeted = w.sent.find((s) => s.channel === 'face:recognised')?.payload as { status: { status: string; freshness: unknown } };
    expect(greeted.status).toMatchObject({ status: 'on_break', freshness: { source: 'live' } });

    // The face leaves while the next person's status is being read: that greeting never appears.
    w.decisions.emit({ kind: 'recognised', trackId: 2, match: match(9), at: Date.parse('2026-11-27T09:00:05Z') });
    w.decisions.emit({ kind: 'gone', trackId: 2, reason: 'left', at: Date.parse('2026-11-27T09:00:05.300Z') });
    w.reads[1]?.answer({ staffId: 9, status: 'off_duty', breakStartedAt: null, pendingPunches: 0, updatedAt: null });
    await settle();
    expect(w.channels().filter((c) => c.startsWith('face:'))).toEqual(['face:recognised', 'face:gone']);
  });

  it('passes unknown faces and a face leaving the frame on, without opening a session', () => {
    const w = wired();
    w.decisions.emit({ kind: 'unknown', trackId: 1, reason: 'not_enrolled', liveDescriptor: new Float32Array(128), at: 0 });
    w.decisions.emit({ kind: 'gone', trackId: 1, reason: 'left', at: 1000 });
    expect(w.sent).toEqual([
      { channel: 'face:unknown', payload: { reason: 'not_enrolled', at: '1970-01-01T00:00:00.000Z' } },
      { channel: 'face:gone', payload: { reason: 'left', recognitionId: null, at: '1970-01-01T00:00:01.000Z' } },
    ]);
    expect(w.sessions.size()).toBe(0);
  });

  it('passes a liveness challenge and failures on without a name or a session; the manager is offered from the second failure', () => {
    const w = wired();
    w.decisions.emit({ kind: 'challenge', trackId: 3, action: 'turn_right', attempt: 1, timeoutMs: 3000, at: 0 });
    w.decisions.emit({ kind: 'liveness_failed', trackId: 3, reason: 'timeout', failures: 1, at: 3500 });
    w.decisions.emit({ kind: 'liveness_failed', trackId: 3, reason: 'not_steady', failures: 2, at: 9000 });
    expect(w.sent).toEqual([
      { channel: 'face:challenge', payload: { action: 'turn_right', attempt: 1, timeoutMs: 3000, at: '1970-01-01T00:00:00.000Z' } },
      { channel: 'face:livenessFailed', payload: { failures: 1, managerFallback: false, at: '1970-01-01T00:00:03.500Z' } },
      { channel: 'face:livenessFailed', payload: { failures: 2, managerFallback: true, at: '1970-01-01T00:00:09.000Z' } },
    ]);
    expect(w.sessions.size()).toBe(0);
  });

  it('when a recognised face is replaced, closes its recognition and names it in face:gone; the next face gets its own', async () => {
    const w = wired();
    w.decisions.emit({ kind: 'recognised', trackId: 4, match: match(7), at: 0 });
    await settle();
    const conor = (w.sent.at(-1)?.payload as { recognitionId: string }).recognitionId;
    w.decisions.emit({ kind: 'gone', trackId: 4, reason: 'replaced', at: 500 });
    expect(w.sent.at(-1)).toEqual({ channel: 'face:gone', payload: { reason: 'replaced', recognitionId: conor, at: '1970-01-01T00:00:00.500Z' } });
    expect(w.sessions.lookup(conor)).toEqual({ state: 'face_gone' });
    w.decisions.emit({ kind: 'recognised', trackId: 5, match: match(8), at: 700 });
    await settle();
    const next = (w.sent.at(-1)?.payload as { recognitionId: string }).recognitionId;
    expect(next).not.toBe(conor);
    expect(w.sessions.find(next)).toMatchObject({ staffId: 8, trackId: 5 });
  });

  it('gives every frame to the face service but at most 15 preview frames a second to the screens', () => {
    const w = wired();
    for (let seq = 0; seq < 30; seq += 1) w.frames.emit({ seq, width: 4, height: 4, rgb: new Uint8Array(48), capturedAt: 10_000 + seq * 33 });
    expect(w.submitted).toHaveLength(30);
    const previews = w.sent.filter((s) => s.channel === 'camera:preview').length;
    expect(previews).toBeGreaterThanOrEqual(14);
    expect(previews).toBeLessThanOrEqual(16);
  });

  it('on a config change re-sends the kiosk info, and reconfigures the camera or rebuilds the services only when their settings changed', async () => {
    const w = wired();
    w.config.update({ ui: { showBoard: false } });
    expect(w.channels()).toEqual(['app:info']);
    expect(w.cameraConfigs).toEqual([]);
    expect(w.rebuilds()).toBe(0);

    w.config.update({ camera: { device: '/dev/video2' } });
    expect(w.cameraConfigs.map((c) => c.device)).toEqual(['/dev/video2']);
    expect(w.rebuilds()).toBe(0);

    w.config.update({ hotel: { slug: 'harbour-view' } });
    expect(w.rebuilds()).toBe(1);

    w.unwire();
    w.config.update({ hotel: { slug: 'elsewhere' } });
    expect(w.rebuilds()).toBe(1);
  });
});
