/**
 * An in-memory test double of the IPC contract (`window.kiosk`): tests set what each request channel
 * answers, emit main -> renderer events, and read back every request the renderer made.
 */
import type {
  EventChannel,
  EventPayload,
  InvokeChannel,
  KioskApi,
  RequestArgs,
  RequestChannel,
  RequestHandlers,
} from '../../../src/shared/ipc/contract';
import type { ConsentText } from '../../../src/shared/domain/enrolment';
import type { KioskInfo, Language, Recognition } from '../../../src/shared/domain/types';

export interface FakeKiosk {
  api: KioskApi;
  /** Set the answer of a request channel or the value of a state channel. */
  handle<C extends InvokeChannel>(channel: C, handler: NoInfer<RequestHandlers[C]>): void;
  /** Deliver an event to the renderer's listeners. */
  emit<E extends EventChannel>(channel: E, payload: EventPayload<E>): void;
  /** Requests and state reads made so far, oldest first. */
  calls: { channel: InvokeChannel; args: unknown[] }[];
  callsTo<C extends RequestChannel>(channel: C): RequestArgs<C>[];
  listenerCount(channel: EventChannel): number;
}

export const testInfo: KioskInfo = {
  mode: 'kiosk',
  setupReasons: [],
  hotelName: 'Harbour View Hotel',
  hotelSlug: 'harbour-view',
  timeZone: 'Europe/Dublin',
  language: 'en',
  showBoard: true,
  greetingTimeoutSeconds: 15,
  kioskId: 'kiosk-1',
  versions: { app: '0.1.0' },
};

/** The consent text the fake's main gives, per language (main's own texts are tested in tests/main/face). */
export function testConsent(language: Language): ConsentText {
  const text = {
    en: 'This kiosk keeps a mathematical template of your face, and deletes it when you leave.',
    pl: 'Ten kiosk przechowuje matematyczny wzorzec twojej twarzy i usuwa go, gdy odejdziesz.',
    es: 'Este quiosco guarda una plantilla matemática de su cara y la borra cuando se vaya.',
  }[language];
  return { language, version: 2, hash: language.charCodeAt(0).toString(16).repeat(32), text };
}

/** A recognition of Jane Doe, off duty with a shift today, unless overridden. */
export function recognitionOf(overrides: Partial<Recognition> = {}): Recognition {
  return {
    recognitionId: 'rec-1',
    staff: { id: 7, name: 'Jane Doe', department: 'Housekeeping', photoUrl: null },
    status: { staffId: 7, status: 'off_duty', breakStartedAt: null, pendingPunches: 0, updatedAt: null },
    shift: { id: 11, date: '2026-11-27', start: '08:00', end: '16:00', department: 'Housekeeping', location: null },
    distance: 0.31,
    spoofSuspected: false,
    recognisedAt: '2026-11-27T09:00:00.000Z',
    ...overrides,
  };
}

/** Creates the fake with sensible answers for the channels every screen asks at start. */
export function createFakeKiosk(info: KioskInfo = testInfo): FakeKiosk {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  const calls: { channel: InvokeChannel; args: unknown[] }[] = [];
  const answer = (channel: InvokeChannel, args: unknown[]): Promise<never> => {
    calls.push({ channel, args });
    const handler = handlers.get(channel);
    if (!handler) return Promise.reject(new Error(`fake kiosk: no handler for ${channel}`));
    try {
      return Promise.resolve(handler(...args)) as Promise<never>;
    } catch (error) {
      return Promise.reject(error);
    }
  };

  const fake: FakeKiosk = {
    calls,
    api: {
      invoke: (channel, ...args) => answer(channel, [...args]),
      get: (channel) => answer(channel, []),
      on(channel, listener) {
        const set = listeners.get(channel) ?? new Set();
        listeners.set(channel, set);
        set.add(listener as (payload: unknown) => void);
        return () => set.delete(listener as (payload: unknown) => void);
      },
    },
    handle(channel, handler) {
      handlers.set(channel, handler as unknown as (...args: unknown[]) => unknown);
    },
    emit(channel, payload) {
      for (const listener of [...(listeners.get(channel) ?? [])]) listener(payload);
    },
    callsTo<C extends RequestChannel>(channel: C) {
      return calls.filter((c) => c.channel === channel).map((c) => c.args as unknown as RequestArgs<C>);
    },
    listenerCount(channel) {
      return listeners.get(channel)?.size ?? 0;
    },
  };

  fake.handle('app:info', () => info);
  fake.handle('app:connection', () => ({
    api: 'online',
    apiMessage: null,
    realtime: 'connected',
    pendingPunches: 0,
    needsReview: 0,
    lastSyncAt: null,
  }));
  fake.handle('camera:status', () => ({
    state: 'streaming',
    deviceId: 'file:demo',
    deviceLabel: 'Demo video',
    message: null,
    fps: 15,
    restarts: 0,
  }));
  fake.handle('board:onDuty', () => ({ departments: [], updatedAt: null }));
  fake.handle('app:setLanguage', () => ({ ok: true }));
  fake.handle('log:renderer', () => undefined);
  fake.handle('face:rejectMatch', () => ({ ok: true }));
  fake.handle('face:startAgain', () => ({ ok: true }));
  fake.handle('admin:lock', () => ({ ok: true }));
  fake.handle('admin:status', () => ({ unlocked: false, pinSet: true, lockedUntil: null, attemptsLeft: 5 }));
  fake.handle('enrol:leavers', () => []);
  fake.handle('enrol:consent', (language) => testConsent(language));
  return fake;
}
