/**
 * The sync engine: drains the ledger to HotelMate oldest first, one person's punches strictly in
 * order, through the face-clock-in dispatcher (docs/hotelmate-api.md §3.4-3.8, §3.12). The backend
 * has no idempotency key, no client time and a blind break toggle, so every punch first learns the
 * server's state from the dispatcher and only then makes the one write that moves the server to the
 * punch's target state; a punch the server already reflects is marked synced without a write.
 */
import type { ClockAction, DutyStatus } from '../../shared/domain/types';
import type { Clock } from '../lib/clock';
import type { ServerStatusUpdate } from '../../shared/domain/types';
import type { ApiFailure, ApiOutcome, FaceClockInResponse, HotelMateClient } from '../hotelmate/client';
import type { LedgerEvent, Ledger } from '../ledger/ledger-store';
import type { Logger } from '../logging/logger';

/** Supplies the 128-d encoding to send for a punch: the template registered for the person, else the live one. */
export type DescriptorFor = (event: LedgerEvent, live: Float32Array | null) => Float32Array | null;

export type SyncApiState = 'unconfigured' | 'online' | 'offline' | 'paused';

export interface SyncState {
  api: SyncApiState;
  /** Readable reason when paused/offline (the server's 401/403 message, the network error). */
  message: string | null;
  lastSyncAt: string | null;
  lastError: string | null;
}

export interface SyncOptions {
  /** People synced in parallel per wave (each person strictly in order). Default 8. */
  concurrency: number;
  /** First retry delay; doubled per attempt up to maxDelayMs, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** After this many failed attempts a punch goes to needs_review (never dropped). */
  maxAttempts: number;
  /** Cheap probe interval while offline, and re-try interval while paused by 401/403. */
  probeIntervalMs: number;
  locationNote: string;
  /** Reason sent with force-clock-in when the punch has none. */
  defaultUnrosteredReason: string;
  /** A server session that began more than this after the punch is "newer" and never closed by it. */
  clockSkewToleranceMs: number;
  /** 0..1 random source for jitter (tests pass a fixed one). */
  random: () => number;
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = {
  concurrency: 8,
  baseDelayMs: 2_000,
  maxDelayMs: 5 * 60_000,
  maxAttempts: 30,
  probeIntervalMs: 30_000,
  locationNote: 'Kiosk',
  defaultUnrosteredReason: 'Unrostered clock-in confirmed at the kiosk',
  clockSkewToleranceMs: 120_000,
  random: Math.random,
};

export interface SyncEngineDeps {
  ledger: Ledger;
  client: HotelMateClient | null;
  clock: Clock;
  logger: Logger;
  descriptorFor: DescriptorFor;
  /** Where server facts learned while syncing go (the reference cache). */
  recordServerStatus: (update: ServerStatusUpdate) => void;
  /** Called after any ledger row changed state (to refresh effective status and counters). */
  onEventSettled?: (event: LedgerEvent) => void;
  options?: Partial<SyncOptions>;
}

export interface SyncEngine {
  /** Recovers rows left in 'sending' by a crash, then starts draining in the background. */
  start(): void;
  /** Stops after the in-flight requests finish; resolves when they have. Pending rows stay for the next start. */
  stop(): Promise<void>;
  /** Pauses sending (in-flight requests finish). */
  pause(message: string): void;
  /** Leaves a pause (e.g. after a new token) and sends at once. */
  resume(): void;
  /** Wakes the loop: a new punch or a reconnect. */
  nudge(): void;
  /**
   * Sends every due punch now and resolves when nothing is due (for shutdown, tests and benchmarks).
   * Does not wait for backoff timers of failed punches.
   */
  drainOnce(): Promise<void>;
  state(): SyncState;
  onState(listener: (state: SyncState) => void): () => void;
}

type Verdict =
  | { kind: 'synced'; serverAction: string; response: unknown; note?: string }
  | { kind: 'review'; message: string; response?: unknown; serverAction?: string }
  | { kind: 'retry'; message: string; response?: unknown }
  | { kind: 'paused'; message: string };

function describe(failure: ApiFailure): string {
  return failure.kind === 'http' ? `HTTP ${failure.status}: ${failure.message}` : `${failure.kind}: ${failure.message}`;
}

const TARGET: Record<ClockAction, DutyStatus> = {
  clock_in: 'on_duty',
  start_break: 'on_break',
  end_break: 'on_duty',
  clock_out: 'off_duty',
};

/** Creates the engine; nothing is sent before start() (or drainOnce()). */
export function createSyncEngine(deps: SyncEngineDeps): SyncEngine {
  const options: SyncOptions = { ...DEFAULT_SYNC_OPTIONS, ...deps.options };
  const { ledger, clock } = deps;
  const logger = deps.logger.child('sync');
  const client = deps.client;

  let state: SyncState = { api: client ? 'online' : 'unconfigured', message: null, lastSyncAt: null, lastError: null };
  const listeners = new Set<(s: SyncState) => void>();
  let running = false;
  let stopping = false;
  let pausedUntilMs = 0;
  let timer: NodeJS.Timeout | null = null;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let probeTimer: NodeJS.Timeout | null = null;

  const setState = (patch: Partial<SyncState>): void => {
    const next = { ...state, ...patch };
    if (next.api === state.api && next.message === state.message && next.lastSyncAt === state.lastSyncAt && next.lastError === state.lastError)
      return;
    const wasOnline = state.api === 'online';
    state = next;
    if (!wasOnline && next.api === 'online') logger.info('HotelMate reachable again');
    for (const listener of listeners) listener(state);
  };

  const markOnline = (): void => {
    if (state.api !== 'paused') setState({ api: 'online', message: null });
  };
  const markOffline = (message: string): void => {
    if (state.api !== 'paused') setState({ api: 'offline', message });
  };

  const backoffMs = (attempts: number): number => {
    const exp = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(exp * (0.5 + options.random() * 0.5));
  };

  /** Observes an outcome for online/offline detection: any HTTP answer means the server is reachable. */
  const observe = <T>(outcome: ApiOutcome<T>): ApiOutcome<T> => {
    if (outcome.ok || outcome.kind === 'http' || outcome.kind === 'bad_response') markOnline();
    else markOffline(`HotelMate unreachable (${outcome.message})`);
    return outcome;
  };

  /** Profile facts that came with the last face answer, kept with the status (board names offline). */
  const profiles = new Map<number, { name: string; department: string | null }>();
  /** Server facts learned while deciding, written with the verdict in one transaction. */
  const learned = new Map<number, ServerStatusUpdate[]>();
  const serverFact = (staffId: number, status: DutyStatus, breakStartedAt: string | null = null): void => {
    const profile = profiles.get(staffId);
    const list = learned.get(staffId) ?? [];
    list.push({
      staffId,
      status,
      breakStartedAt,
      observedAt: clock.now().toISOString(),
      source: 'api',
      ...(profile ? { name: profile.name, department: profile.department } : {}),
    });
    learned.set(staffId, list);
  };

  /** Classifies a failed call; `step` says which request failed. */
  const failure = (event: LedgerEvent, outcome: ApiFailure, step: string): Verdict => {
    if (outcome.kind === 'http') {
      if (outcome.status === 401 || outcome.status === 403)
        return { kind: 'paused', message: `HotelMate refused the kiosk account (${outcome.status}): ${outcome.message}` };
      if (outcome.status === 404)
        return { kind: 'review', message: `HotelMate did not recognise the face at sync time (${step}): ${outcome.message}`, response: outcome.body };
      if (outcome.status >= 500 || outcome.status === 429 || outcome.status === 408)
        return {
          kind: 'retry',
          message: `${step}: HTTP ${outcome.status} ${outcome.message}; the server state is re-read before retrying`,
          response: outcome.body,
        };
      return { kind: 'review', message: `${step} was refused (HTTP ${outcome.status}): ${outcome.message}`, response: outcome.body };
    }
    if (outcome.kind === 'bad_response') return { kind: 'retry', message: outcome.message };
    return { kind: 'retry', message: `${step}: ${describe(outcome)}` };
  };

  const meta = (event: LedgerEvent) => ({ client_event_id: event.eventId, occurred_at: event.occurredAt });

  /** The whole decision for one punch. Every write is preceded by a state read. */
  async function decide(event: LedgerEvent, api: HotelMateClient): Promise<Verdict> {
    const encoding = deps.descriptorFor(event, ledger.liveDescriptor(event.eventId));
    if (!encoding || encoding.length !== 128)
      return {
        kind: 'review',
        message: 'No face encoding is available to send this punch (no registered template and the live one was not kept).',
      };
    const body = { encoding, ...meta(event) };

    // A retried clock-out may already have closed the session (lost response, 500 after write). The
    // dispatcher would then open a NEW session if the person is rostered, so read the status first.
    if (event.action === 'clock_out' && event.attempts > 1) {
      const detail = observe(await api.staffDetail(event.staffId));
      if (detail.ok && detail.data.duty_status === 'off_duty') {
        serverFact(event.staffId, 'off_duty');
        return { kind: 'synced', serverAction: 'already_off_duty', response: { duty_status: 'off_duty' }, note: 'reconciled from a status read after an unanswered attempt' };
      }
    }

    const dispatched = observe(await api.faceClockIn({ ...body, location_note: options.locationNote, is_kiosk_mode: true }));
    if (!dispatched.ok) return failure(event, dispatched, 'face-clock-in');
    const answer: FaceClockInResponse = dispatched.data;
    profiles.delete(event.staffId);
    if (answer.staff.id !== event.staffId)
      return {
        kind: 'review',
        message: `HotelMate matched the face to staff #${answer.staff.id} (${answer.staff.name}), not to staff #${event.staffId} as the kiosk did; nothing more was sent.`,
        response: answer,
        serverAction: answer.action,
      };
    profiles.set(event.staffId, {
      name: answer.staff.name,
      department: answer.staff.department && answer.staff.department !== 'No Department' ? answer.staff.department : null,
    });

    if (answer.action === 'clock_in_success') {
      // The dispatcher itself wrote a clock-in: the server saw no open session today.
      serverFact(event.staffId, 'on_duty');
      if (event.action === 'clock_in') return { kind: 'synced', serverAction: 'clock_in_success', response: answer };
      const why = `HotelMate saw no open session today (UTC) and its face check opened one at sync time (log #${answer.clock_log.id}).`;
      if (event.action === 'clock_out') {
        const closed = observe(await api.confirmClockOut(body));
        if (closed.ok) serverFact(event.staffId, 'off_duty');
        return { kind: 'review', message: `${why} ${closed.ok ? 'It was closed again' : `Closing it failed (${describe(closed)})`}; a manager should check this day.`, response: answer, serverAction: 'clock_in_success' };
      }
      if (event.action === 'start_break') {
        const toggled = observe(await api.toggleBreak(body));
        if (toggled.ok && toggled.data.action === 'break_started') serverFact(event.staffId, 'on_break', toggled.data.break_info.break_start_time);
        return { kind: 'review', message: `${why} The break was started on it; a manager should check this day.`, response: answer, serverAction: 'clock_in_success' };
      }
      return { kind: 'review', message: `${why} A manager should check this day.`, response: answer, serverAction: 'clock_in_success' };
    }

    if (answer.action === 'unrostered_detected') {
      serverFact(event.staffId, 'off_duty');
      if (event.action === 'clock_in') {
        const forced = observe(
          await api.forceClockIn({ ...body, reason: event.reason ?? options.defaultUnrosteredReason, location_note: options.locationNote }),
        );
        if (forced.ok) {
          serverFact(event.staffId, 'on_duty');
          return { kind: 'synced', serverAction: 'unrostered_clock_in', response: forced.data };
        }
        if (forced.kind === 'http' && forced.status === 400 && /already clocked in/i.test(forced.message)) {
          serverFact(event.staffId, 'on_duty');
          return { kind: 'synced', serverAction: 'already_on_duty', response: forced.body, note: `reconciled: ${forced.message}` };
        }
        return failure(event, forced, 'force-clock-in');
      }
      if (event.action === 'clock_out') {
        const session = openingClockIn(event);
        if (session && session.syncedAt && session.syncedAt.slice(0, 10) < clock.now().toISOString().slice(0, 10))
          return {
            kind: 'review',
            message: `HotelMate cannot close this session by face: it started on ${session.syncedAt.slice(0, 10)} (UTC) and the server only sees sessions of today's UTC date. A manager must close it in HotelMate.`,
            response: answer,
            serverAction: 'unrostered_detected',
          };
        return { kind: 'synced', serverAction: 'already_off_duty', response: answer, note: 'reconciled: HotelMate shows no open session' };
      }
      return {
        kind: 'review',
        message: `HotelMate shows no open session today (UTC), so the ${event.action === 'start_break' ? 'break start' : 'break end'} cannot be recorded there.`,
        response: answer,
        serverAction: 'unrostered_detected',
      };
    }

    // clock_out_options: an open session today; nothing was written.
    const info = answer.session_info;
    const serverStatus: DutyStatus = info.is_on_break ? 'on_break' : 'on_duty';
    const breakStart = info.is_on_break ? new Date(clock.now().getTime() - info.current_break_minutes * 60_000).toISOString() : null;
    serverFact(event.staffId, serverStatus, breakStart);
    if (event.action === 'clock_in') return { kind: 'synced', serverAction: 'already_on_duty', response: answer, note: 'reconciled: HotelMate already had an open session' };

    // The session this punch belongs to was opened by the person's previous clock-in. Offline, that
    // clock-in reached HotelMate only at sync time (no backdating), so the server session may start
    // after this punch was made; it is still "ours" unless it started after our clock-in was synced.
    const sessionStart = Date.parse(info.clock_in_time);
    const opening = openingClockIn(event);
    const ourSessionBoundMs = opening?.syncedAt ? Math.max(event.occurredMs, Date.parse(opening.syncedAt)) : event.occurredMs;
    if (!Number.isNaN(sessionStart) && sessionStart > ourSessionBoundMs + options.clockSkewToleranceMs)
      return {
        kind: 'review',
        message: `HotelMate's open session started at ${info.clock_in_time}, after this punch (${event.occurredAt}); the kiosk will not ${event.action === 'clock_out' ? 'close' : 'change'} a newer session.`,
        response: answer,
        serverAction: 'clock_out_options',
      };

    if (TARGET[event.action] === serverStatus)
      return { kind: 'synced', serverAction: serverStatus === 'on_break' ? 'already_on_break' : 'already_on_duty', response: answer, note: 'reconciled: HotelMate already reflects this punch' };

    if (event.action === 'clock_out') {
      const closed = observe(await api.confirmClockOut(body));
      if (closed.ok) {
        serverFact(event.staffId, 'off_duty');
        return { kind: 'synced', serverAction: 'clock_out_success', response: closed.data };
      }
      return failure(event, closed, 'confirm-clock-out');
    }

    // start_break from on_duty, or end_break from on_break: exactly one toggle moves the server to the target.
    const toggled = observe(await api.toggleBreak(body));
    if (!toggled.ok) return failure(event, toggled, 'toggle-break');
    const got: DutyStatus = toggled.data.action === 'break_started' ? 'on_break' : 'on_duty';
    serverFact(event.staffId, got, toggled.data.action === 'break_started' ? toggled.data.break_info.break_start_time : null);
    if (got === TARGET[event.action]) return { kind: 'synced', serverAction: toggled.data.action, response: toggled.data };
    return {
      kind: 'review',
      message: `The break toggle answered ${toggled.data.action} although the server was ${serverStatus} a moment before (changed concurrently?).`,
      response: toggled.data,
      serverAction: toggled.data.action,
    };
  }

  /** The synced clock-in this clock-out closes (the newest clock-in before it), if the ledger still has it. */
  function openingClockIn(event: LedgerEvent): LedgerEvent | null {
    const previous = ledger.lastSessionEventBefore(event.staffId, event.seq);
    return previous && previous.action === 'clock_in' && previous.syncState === 'synced' ? previous : null;
  }

  interface Outcome {
    event: LedgerEvent;
    sending: LedgerEvent;
    verdict: Verdict;
    facts: ServerStatusUpdate[];
    now: Date;
    giveUp: boolean;
    retryDelay: number;
  }

  /** Asks HotelMate and decides; writes nothing locally (the wave commits all verdicts together). */
  async function attempt(event: LedgerEvent, api: HotelMateClient): Promise<Outcome> {
    const sending: LedgerEvent = { ...event, attempts: event.attempts + 1, syncState: 'sending' };
    let verdict: Verdict;
    try {
      verdict = await decide(sending, api);
    } catch (error) {
      verdict = { kind: 'retry', message: `unexpected error while syncing: ${(error as Error).message}` };
      logger.error('sync step threw', { eventId: event.eventId, error: (error as Error).message });
    }
    const facts = learned.get(event.staffId) ?? [];
    learned.delete(event.staffId);
    const giveUp = verdict.kind === 'retry' && sending.attempts >= options.maxAttempts;
    return { event, sending, verdict, facts, now: clock.now(), giveUp, retryDelay: giveUp ? 0 : backoffMs(sending.attempts) };
  }

  /**
   * One wave: claims up to `concurrency` punches of different people ('sending', one commit), sends
   * them in parallel, then records every verdict and the server facts learned in one commit. A crash
   * in between leaves rows in 'sending', which the next start re-examines through the dispatcher.
   */
  async function wave(events: LedgerEvent[], api: HotelMateClient): Promise<void> {
    ledger.atomically(() => {
      for (const event of events) ledger.markSending(event.seq);
    });
    const outcomes = await Promise.all(events.map((event) => attempt(event, api)));
    ledger.atomically(() => {
      for (const { event, sending, verdict, facts, now, giveUp, retryDelay } of outcomes) {
        for (const fact of facts) deps.recordServerStatus(fact);
        switch (verdict.kind) {
          case 'synced':
            ledger.markSynced(event.seq, { serverAction: verdict.serverAction, response: verdict.response, syncedAt: now, note: verdict.note ?? null });
            break;
          case 'review':
            ledger.markNeedsReview(event.seq, verdict.message, verdict.response, verdict.serverAction ?? null);
            break;
          case 'paused':
            ledger.markBlocked(event.seq, verdict.message, 0);
            break;
          case 'retry':
            if (giveUp) ledger.markNeedsReview(event.seq, `Not accepted after ${sending.attempts} attempts; last error: ${verdict.message}`, verdict.response);
            else ledger.markRetry(event.seq, verdict.message, now.getTime() + retryDelay, verdict.response);
            break;
        }
      }
    });
    for (const outcome of outcomes) report(outcome);
  }

  /** Logs, state and listeners after a verdict is durable. */
  function report({ event, sending, verdict, now, giveUp, retryDelay }: Outcome): void {
    switch (verdict.kind) {
      case 'synced':
        setState({ lastSyncAt: now.toISOString() });
        logger.info('punch synced', {
          eventId: event.eventId,
          staffId: event.staffId,
          action: event.action,
          serverAction: verdict.serverAction,
          delaySeconds: Math.round((now.getTime() - event.occurredMs) / 1000),
        });
        break;
      case 'review':
        setState({ lastError: verdict.message });
        logger.warn('punch needs review', { eventId: event.eventId, staffId: event.staffId, action: event.action, reason: verdict.message });
        break;
      case 'paused':
        pauseInternal(verdict.message);
        break;
      case 'retry':
        if (giveUp) logger.warn('punch needs review after repeated failures', { eventId: event.eventId, attempts: sending.attempts });
        else logger.info('punch will be retried', { eventId: event.eventId, attempts: sending.attempts, delayMs: retryDelay, reason: verdict.message });
        setState({ lastError: verdict.message });
        break;
    }
    const settled = ledger.get(event.eventId);
    if (settled) deps.onEventSettled?.(settled);
  }

  function pauseInternal(message: string): void {
    pausedUntilMs = clock.now().getTime() + options.probeIntervalMs;
    if (state.api !== 'paused') logger.warn('sync paused', { reason: message });
    setState({ api: 'paused', message });
  }

  let draining: Promise<void> | null = null;
  /** Sends due punches in waves until none is due; concurrent callers share one pass. */
  async function drain(): Promise<void> {
    while (draining) await draining;
    draining = drainPass().finally(() => {
      draining = null;
    });
    return draining;
  }

  async function drainPass(): Promise<void> {
    if (!client) return;
    for (;;) {
      if (stopping) return;
      if (state.api === 'paused' && clock.now().getTime() < pausedUntilMs) return;
      // While offline or after a pause, a lone punch is the trial; a full wave only once the server answers.
      const trial = state.api !== 'online';
      const events = ledger.due(clock.now().getTime(), trial ? 1 : options.concurrency);
      if (events.length === 0) return;
      if (state.api === 'paused') setState({ api: 'online', message: null });
      await wave(events, client);
      if (state.api !== 'online') return; // offline or paused again: wait for backoff, the probe or resume()
    }
  }

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, Math.max(0, ms));
    });

  async function run(): Promise<void> {
    while (running) {
      try {
        await drain();
      } catch (error) {
        logger.error('sync loop error', { error: (error as Error).message });
      }
      if (!running) break;
      const now = clock.now().getTime();
      const next = ledger.nextDueMs();
      let wait = next === null ? options.probeIntervalMs : Math.max(50, next - now);
      if (state.api === 'paused') wait = Math.max(50, pausedUntilMs - now);
      await sleep(Math.min(wait, options.probeIntervalMs));
      if (timer) clearTimeout(timer);
      timer = null;
      wake = null;
    }
  }

  async function probe(): Promise<void> {
    if (!client || state.api !== 'offline') return;
    const outcome = observe(await client.myStatus());
    if (outcome.ok || outcome.kind === 'http') {
      ledger.expedite();
      engine.nudge();
    }
  }

  /**
   * One check at start, whatever the state: the kiosk must not claim to be online until HotelMate
   * has answered (the indicator would otherwise say "Online" for a whole probe interval).
   */
  async function firstContact(): Promise<void> {
    if (!client) return;
    const outcome = observe(await client.myStatus());
    if (!outcome.ok && outcome.kind === 'http' && (outcome.status === 401 || outcome.status === 403)) {
      pauseInternal(`HotelMate refused the kiosk account (${outcome.status}): ${outcome.message}`);
    }
  }

  const engine: SyncEngine = {
    start() {
      if (running) return;
      stopping = false;
      const recovered = ledger.recoverInFlight();
      if (recovered > 0) logger.info('re-examining punches interrupted while sending', { recovered });
      running = true;
      loop = run();
      probeTimer = setInterval(() => void probe(), options.probeIntervalMs);
      probeTimer.unref?.();
      firstContact().catch((error: unknown) => logger.warn('first contact with HotelMate failed', { error: (error as Error).message }));
    },
    async stop() {
      running = false;
      stopping = true;
      if (probeTimer) clearInterval(probeTimer);
      probeTimer = null;
      wake?.();
      await loop;
      loop = null;
      if (draining) await draining;
    },
    pause(message) {
      pausedUntilMs = Number.MAX_SAFE_INTEGER;
      setState({ api: 'paused', message });
    },
    resume() {
      pausedUntilMs = 0;
      if (state.api === 'paused') setState({ api: client ? 'online' : 'unconfigured', message: null });
      ledger.expedite();
      wake?.();
    },
    nudge() {
      wake?.();
    },
    async drainOnce() {
      stopping = false;
      if (!running) ledger.recoverInFlight();
      await drain();
    },
    state: () => state,
    onState(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return engine;
}
