/**
 * A HotelMate API test double: a real HTTP server on 127.0.0.1 backed by its own SQLite file, with
 * the documented paths, token auth, shapes and quirks (router.ts and endpoints/), seed helpers, a
 * request log, the Pusher events the real backend would send, fault injection, a second client
 * (the HotelMate web app) and switches for what the contract says depends on the deployment.
 * Used by tests, benches and the demo.
 */
import { systemDoubleClock, type DoubleClock } from './clock';
import { createFaultBook, type DoubleFaults } from './faults';
import { startHttpServer, type RequestRecord } from './http-server';
import { serverError, type BackendRequest, type BackendResponse } from './protocol';
import type { PusherClientSettings } from './pusher';
import { createBackend } from './router';
import { createSeed, type DoubleSeed } from './seed';
import { createState, type DoubleState, type PusherRecord } from './state';
import { openDoubleDb, type DB } from './store';
import { createWebApp, type DoubleWebApp } from './web-app';

export { createManualClock, type DoubleClock, type ManualClock } from './clock';
export { encodingFor, euclidean, nearby } from './encodings';
export type { DoubleFaults, FaultOptions } from './faults';
export type { RequestRecord } from './http-server';
export { KIOSK_CAPABILITIES, MANAGER_CAPABILITIES, SELF_SERVICE_CAPABILITIES } from './permissions';
export type { PusherEmit } from './pusher';
export { rawCall, type RawAnswer } from './raw-call';
export type { DoubleSeed, KillarneyWorld, SeedClockLogInput, SeedFaceInput, SeedHotelInput, SeedShiftInput, SeedStaffInput, SeededStaff } from './seed';
export type { ClockLogView, DoubleState, PusherRecord, StaffView } from './state';
export type { DoubleWebApp, WebAppIntent, WebAppOptions, WebAppResult, WebAppStep } from './web-app';

/** Switches for behaviour the contract says depends on the deployment. */
export interface DoubleControls {
  /**
   * Whether the backend's Pusher client can encode datetimes. Off by default, as the contract reads
   * (§5: no `json_encoder`) and the recording shows: every `start_break` event is dropped. On: the
   * break start is delivered, with `current_status.break_start` in ISO `+00:00` form.
   */
  setPusherEncodesDatetimes(on: boolean): void;
}

export interface HotelMateDoubleOptions {
  /** SQLite file; default an in-memory database. */
  dbFile?: string;
  /** Port on 127.0.0.1; default 0 (a free port). */
  port?: number;
  clock?: DoubleClock;
  seed?: (seed: DoubleSeed) => void;
  /** Called for each Pusher event the real backend would deliver (not for the ones that fail there). */
  onPusherEvent?: (channel: string, event: string, data: unknown) => void;
  /** Initial value of `controls.setPusherEncodesDatetimes` (default false, as the contract reads). */
  pusherEncodesDatetimes?: boolean;
}

export interface HotelMateDouble {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `http://127.0.0.1:<port>/api`: what the kiosk's `api.baseUrl` should be. */
  apiBaseUrl: string;
  seed: DoubleSeed;
  faults: DoubleFaults;
  state: DoubleState;
  /** The HotelMate web app as a second client: clock-in, break start/end and clock-out by face. */
  webApp: DoubleWebApp;
  controls: DoubleControls;
  db: DB;
  /** Stops the server (open sockets included) and closes the database. */
  close(): Promise<void>;
}

/**
 * Starts the double on 127.0.0.1 (random port). Resolves once it is listening.
 * The handler is synchronous over SQLite, one transaction per request.
 */
export async function createHotelMateDouble(options: HotelMateDoubleOptions = {}): Promise<HotelMateDouble> {
  const clock = options.clock ?? systemDoubleClock;
  const db = openDoubleDb(options.dbFile ?? ':memory:');
  const pusherSettings: PusherClientSettings = { encodesDatetimes: options.pusherEncodesDatetimes === true };
  const backend = createBackend(db, () => clock.now(), pusherSettings);
  const requests: RequestRecord[] = [];
  const pusherLog: PusherRecord[] = [];
  const faults = createFaultBook();

  /** One request through the backend, whichever client sent it; its Pusher triggers are logged and delivered. */
  const dispatch = (request: BackendRequest): BackendResponse => {
    let result;
    try {
      result = backend.handle(request);
    } catch (err) {
      // A bug in the double must look like what Django would send, and not kill the server.
      process.stderr.write(`hotelmate-double: handler error on ${request.method} ${request.pathname}: ${String(err)}\n`);
      return serverError();
    }
    const at = clock.now().toISOString();
    for (const event of result.pusher) {
      pusherLog.push({ ...event, at });
      if (event.delivered) options.onPusherEvent?.(event.channel, event.event, event.data);
    }
    return result.response;
  };

  const server = await startHttpServer({ port: options.port ?? 0, clock, faults, dispatch, onRequest: (r) => requests.push(r) });
  const seed = createSeed(db, clock, () => server.origin);
  options.seed?.(seed);
  let closed = false;

  return {
    url: server.origin,
    apiBaseUrl: `${server.origin}/api`,
    seed,
    faults: faults.api,
    state: createState(db, clock, requests, pusherLog),
    webApp: createWebApp(db, dispatch, () => server.origin),
    controls: {
      setPusherEncodesDatetimes: (on) => {
        pusherSettings.encodesDatetimes = on;
      },
    },
    db,
    close: async () => {
      if (closed) return;
      closed = true;
      await server.close();
      db.close();
    },
  };
}
