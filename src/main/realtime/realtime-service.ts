/**
 * Live hotel status over Pusher: connects with pusher-js (its Node build), listens on both the
 * customer-specified and the deployed HotelMate channels, turns events into domain events through
 * the normaliser (normalise.ts), feeds clock status into the clock service and asks it to catch up from
 * the API whenever events may have been missed (Pusher delivers at most once).
 */
import Pusher, { type Channel, type ChannelAuthorizationCallback, type Options as PusherOptions } from 'pusher-js';
import type { KioskConfig } from '../../shared/config/schema';
import type { DutyStatus, RealtimeState } from '../../shared/domain/types';
import { createNormaliser, type AttendanceLogged, type ClockStatusChanged, type RealtimeDomainEvent, type Rejection } from './normalise';
import type { Clock } from '../lib/clock';
import type { ClockService } from '../sync/clock-service';
import { createEmitter, type Subscribe } from '../lib/emitter';
import { toLogFormat, type Logger } from '../logging/logger';

/** The slice of a pusher-js client the service uses (the real class satisfies it; tests may inject another). */
export interface PusherClient {
  connection: {
    state: string;
    socket_id?: string;
    bind(event: string, callback: (payload: { previous: string; current: string }) => void): unknown;
  };
  subscribe(channelName: string): Pick<Channel, 'bind' | 'bind_global'>;
  unsubscribe(channelName: string): void;
  connect(): void;
  disconnect(): void;
}

export type PusherConstructor = new (key: string, options: PusherOptions) => PusherClient;

export interface RealtimeServiceDeps {
  /** Uses hotel.slug, api.baseUrl/timeoutMs (private-channel auth) and pusher.*. */
  config: KioskConfig;
  logger: Logger;
  clock: Clock;
  clockService: Pick<ClockService, 'applyServerStatus' | 'catchUp' | 'refreshStatus' | 'staff'>;
  /** The kiosk's HotelMate token, sent as `Authorization: Token <token>` to the auth endpoint. */
  token?: string | null;
  /** Defaults to pusher-js. */
  PusherImpl?: PusherConstructor;
  /** Defaults to the global fetch (auth endpoint only). */
  fetch?: typeof fetch;
  /** How long to wait for every subscription after connecting before catching up anyway. Default 5000 ms. */
  subscribeTimeoutMs?: number;
  /** Delay before retrying a failed subscription (e.g. the auth endpoint refused). Default 30000 ms. */
  resubscribeDelayMs?: number;
  /** Reject payloads above this size (bytes). Default 64 KB. */
  maxEventBytes?: number;
  /**
   * While not connected, start a fresh connection attempt after this long, growing x1.5 up to
   * 10 s. pusher-js alone waits out a 15-60 s timeout when the server refuses the socket. Default 3000 ms.
   */
  reconnectCheckMs?: number;
}

export interface RealtimeStats {
  /** Accepted domain events. */
  events: number;
  /** Rejected events (invalid, unknown, oversized, duplicate, irrelevant). */
  dropped: number;
  /** ISO receive time of the last accepted event. */
  lastEventAt: string | null;
  /** How many catch-ups were requested from the clock service. */
  catchUps: number;
  /**
   * How many times a person's status was re-read from HotelMate instead of taken from an event
   * (the event was doubtful, or arrived while a catch-up read was in flight).
   */
  reReads: number;
}

/** Live status from Pusher: subscriptions, event normalisation, catch-up after reconnects. */
export interface RealtimeService {
  start(): Promise<void>;
  stop(): Promise<void>;
  state(): RealtimeState;
  onState: Subscribe<RealtimeState>;
  stats(): RealtimeStats;
  /** Every accepted domain event, after it was applied to the clock service. */
  onEvent: Subscribe<RealtimeDomainEvent>;
  /** Every rejected event (already logged). */
  onRejected: Subscribe<Rejection>;
  /** The channels this service subscribes to. */
  channels(): string[];
}

/**
 * Channels the kiosk listens on (decision: no per-staff channels).
 * - `hotel-<slug>`: the customer's spec (clock status, roster, profile, attendance log).
 * - `<slug>.attendance`: the deployed backend's clock_status_updated.
 * - `<slug>`: the deployed backend's staff_profile_updated / roster_updated / attendance_logged.
 * - `attendance-<slug>-managers`: warnings for everyone (`staff-*-warning`).
 * Per-staff channels (`hotel-<slug>-staff-<id>`, `attendance-<slug>-staff-<id>`) only repeat the
 * managers' warnings for one person or carry web-app navigation, so a shared kiosk serving every
 * staff member would need one subscription per person for nothing new.
 */
export function realtimeChannels(slug: string, privateChannels: boolean): string[] {
  const names = [`hotel-${slug}`, `${slug}.attendance`, slug, `attendance-${slug}-managers`];
  return privateChannels ? names.map((name) => `private-${name}`) : names;
}

/** Why realtime cannot run with this config, or null when it can. */
export function realtimeConfigProblem(config: KioskConfig): string | null {
  if (!config.pusher.enabled) return 'pusher.enabled is false';
  if (!config.pusher.key) return 'pusher.key is not set';
  if (!config.hotel.slug) return 'hotel.slug is not set';
  if (!config.pusher.host && !config.pusher.cluster) return 'pusher.cluster is not set';
  if (config.pusher.privateChannels && !config.api.baseUrl) return 'pusher.privateChannels needs api.baseUrl for the auth endpoint';
  return null;
}

/** pusher-js options from the kiosk config: Pusher's cloud (key + cluster) or a self-hosted server. */
export function pusherClientOptions(config: KioskConfig, authorize?: (socketId: string, channelName: string, callback: ChannelAuthorizationCallback) => void): PusherOptions {
  const p = config.pusher;
  const options: PusherOptions = {
    cluster: p.cluster || 'mt1',
    forceTLS: p.useTLS,
    enabledTransports: ['ws', 'wss'],
    disableStats: true,
  };
  if (p.host) {
    options.wsHost = p.host;
    options.wsPort = p.port;
    options.wssPort = p.port;
    options.httpHost = p.host;
    options.httpPort = p.port;
    options.httpsPort = p.port;
  }
  if (authorize) {
    options.channelAuthorization = { customHandler: ({ socketId, channelName }, callback) => authorize(socketId, channelName, callback) };
  }
  return options;
}

const STATE_MAP: Record<string, RealtimeState> = {
  initialized: 'connecting',
  connecting: 'connecting',
  connected: 'connected',
  unavailable: 'unavailable',
  failed: 'offline',
  disconnected: 'offline',
};

/** How many people may be re-read one by one at once; past that, one catch-up reads everyone. */
const MAX_RE_READS = 10;

const ATTENDANCE_STATUS: Record<'clock_in' | 'clock_out', DutyStatus> = { clock_in: 'on_duty', clock_out: 'off_duty' };

/**
 * Runs `run(key)` at most once at a time per key: a request while it runs makes it run once more
 * afterwards (what changed meanwhile is read too), while `goOn()` holds. `settled` is called when a
 * key has no run left.
 */
function coalescedRuns<K>(run: (key: K) => Promise<void>, goOn: () => boolean, settled: () => void = () => undefined) {
  const running = new Map<K, { again: boolean; done: Promise<void> }>();
  return {
    request(key: K): void {
      const entry = running.get(key);
      if (entry) {
        entry.again = true;
        return;
      }
      const next = { again: false, done: Promise.resolve() };
      running.set(key, next);
      next.done = (async () => {
        do {
          next.again = false;
          await run(key);
        } while (next.again && goOn());
        running.delete(key);
        settled();
      })();
    },
    running: (key: K): boolean => running.has(key),
    size: (): number => running.size,
    inFlight: (): Promise<void>[] => [...running.values()].map((entry) => entry.done),
  };
}

/**
 * Builds the realtime service. `start()` resolves once connecting has begun (the kiosk works offline,
 * so it never waits for the server); pusher-js then reconnects by itself. `stop()` disconnects and
 * waits (up to 5 s) for catch-ups in flight. Nothing here throws into pusher-js callbacks: bad
 * events and failing clock-service calls are logged and counted.
 */
export function createRealtimeService(deps: RealtimeServiceDeps): RealtimeService {
  const { config, clock, clockService } = deps;
  const log = deps.logger.child('realtime');
  const PusherImpl: PusherConstructor = deps.PusherImpl ?? (Pusher as unknown as PusherConstructor);
  const doFetch = deps.fetch ?? fetch;
  const subscribeTimeoutMs = deps.subscribeTimeoutMs ?? 5000;
  const resubscribeDelayMs = deps.resubscribeDelayMs ?? 30000;
  const reconnectCheckMs = deps.reconnectCheckMs ?? 3000;
  const RECONNECT_MAX_MS = Math.max(10000, reconnectCheckMs);
  const problem = realtimeConfigProblem(config);
  const channelNames = realtimeChannels(config.hotel.slug, config.pusher.privateChannels);
  const normaliser = createNormaliser({ maxBytes: deps.maxEventBytes, hotelSlug: config.hotel.slug || undefined });

  let client: PusherClient | null = null;
  let state: RealtimeState = problem ? 'disabled' : 'offline';
  let stopped = true;
  const stats: RealtimeStats = { events: 0, dropped: 0, lastEventAt: null, catchUps: 0, reReads: 0 };
  const stateChanges = createEmitter<RealtimeState>('realtime state', log);
  const acceptedEvents = createEmitter<RealtimeDomainEvent>('realtime event', log);
  const rejections = createEmitter<Rejection>('realtime rejection', log);
  const timers = new Set<ReturnType<typeof setTimeout>>();

  // Subscriptions confirmed since the current connection was established.
  let subscribed = new Set<string>();
  // Whether the post-connect catch-up has been requested for the current connection.
  let caughtUpThisConnection = false;
  let subscribeTimer: ReturnType<typeof setTimeout> | null = null;
  // Our own reconnect nudges (see reconnectCheckMs); `forcing` hides the transient 'disconnected'.
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let reconnectDelay = reconnectCheckMs;
  let forcing = false;
  let forcedAttempts = 0;

  const later = (ms: number, fn: () => void): ReturnType<typeof setTimeout> => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    return timer;
  };
  const setState = (next: RealtimeState): void => {
    if (next === state) return;
    state = next;
    stateChanges.emit(next);
  };

  // ------------------------------------------------------------ catch-ups (per reason) and re-reads (per person)
  const catchUps = coalescedRuns<string>(
    async (reason) => {
      stats.catchUps += 1;
      try {
        await clockService.catchUp(reason);
      } catch (error) {
        log.warn('catch-up failed', { reason, error: toLogFormat(error) });
      }
    },
    () => !stopped,
    () => reReadAfterCatchUp(),
  );
  const requestCatchUp = (reason: string): void => {
    if (!stopped) catchUps.request(reason);
  };

  // Statuses the kiosk is unsure of: past MAX_RE_READS people at once, one catch-up reads everyone.
  const reReads = coalescedRuns<number>(
    async (staffId) => {
      stats.reReads += 1;
      try {
        await clockService.refreshStatus(staffId, config.api.timeoutMs);
      } catch (error) {
        log.warn('status re-read failed', { staffId, error: toLogFormat(error) });
      }
    },
    () => !stopped,
  );
  const requestReRead = (staffId: number): void => {
    if (stopped) return;
    if (!reReads.running(staffId) && reReads.size() >= MAX_RE_READS) requestCatchUp('re-read');
    else reReads.request(staffId);
  };

  // A catch-up's answers are stamped with the time its request was sent, and HotelMate's answers
  // outrank events stamped up to 5 s later: a status event that arrives while a catch-up is in
  // flight may be overwritten by an answer read before it. Those people are re-read afterwards.
  const arrivedDuringCatchUp = new Set<number>();
  const catchUpInFlight = (): boolean => catchUps.size() > 0;
  const reReadAfterCatchUp = (): void => {
    if (catchUpInFlight() || arrivedDuringCatchUp.size === 0) return;
    const staffIds = [...arrivedDuringCatchUp];
    arrivedDuringCatchUp.clear();
    log.info('re-reading statuses that changed during a catch-up', { staffIds });
    staffIds.forEach(requestReRead);
  };

  const catchUpAfterConnect = (why: string): void => {
    if (subscribeTimer) {
      clearTimeout(subscribeTimer);
      timers.delete(subscribeTimer);
      subscribeTimer = null;
    }
    caughtUpThisConnection = true;
    log.info('catching up after connect', { why });
    requestCatchUp('reconnect');
  };

  // ------------------------------------------------------------ events
  /**
   * Whether a status event may be applied. A doubtful one is logged and its person re-read instead;
   * one for someone the kiosk does not know is not applied (its name would reach the board and the
   * "Clock without face" list on the event's word): the staff list is read again, which brings in a
   * person HotelMate really has.
   */
  const trusted = (event: ClockStatusChanged | AttendanceLogged): boolean => {
    if (clockService.staff(event.staffId) === null) {
      log.info('realtime status for someone this kiosk does not know; reading the staff list again', { channel: event.channel, event: event.eventName.slice(0, 100), staffId: event.staffId });
      requestCatchUp('unknown staff');
      return false;
    }
    if (event.doubt === null) {
      // Past MAX_RE_READS people the re-read is one catch-up anyway: more ids need not be kept.
      if (catchUpInFlight() && arrivedDuringCatchUp.size <= MAX_RE_READS) arrivedDuringCatchUp.add(event.staffId);
      return true;
    }
    log.info('realtime status not trusted; re-reading it from HotelMate', { channel: event.channel, event: event.eventName.slice(0, 100), staffId: event.staffId, doubt: event.doubt });
    requestReRead(event.staffId);
    return false;
  };

  const apply = (event: RealtimeDomainEvent): void => {
    switch (event.type) {
      case 'clock_status_changed':
        if (!trusted(event)) return;
        clockService.applyServerStatus({
          staffId: event.staffId,
          status: event.status,
          breakStartedAt: event.breakStartedAt,
          observedAt: event.at,
          source: 'realtime',
          ...(event.name !== undefined ? { name: event.name } : {}),
          ...(event.department !== undefined ? { department: event.department } : {}),
        });
        return;
      case 'attendance_logged':
        if (!trusted(event)) return;
        clockService.applyServerStatus({
          staffId: event.staffId,
          status: ATTENDANCE_STATUS[event.action],
          breakStartedAt: null,
          observedAt: event.time,
          source: 'realtime',
          ...(event.name !== null ? { name: event.name } : {}),
          ...(event.department !== null ? { department: event.department } : {}),
        });
        return;
      case 'roster_changed':
        requestCatchUp('roster');
        return;
      case 'staff_profile_changed':
        requestCatchUp('profile');
        return;
      case 'warning':
        // Shown by whoever listens to onEvent; nothing to store.
        return;
    }
  };

  const handle = (channel: string, eventName: string, data: unknown): void => {
    if (stopped || eventName.startsWith('pusher:') || eventName.startsWith('pusher_internal:')) return;
    const result = normaliser.normalise({ channel, event: eventName, data, receivedAt: clock.now().toISOString() });
    if (!result.ok) {
      stats.dropped += 1;
      const { reason, detail } = result.rejection;
      const fields = { channel, event: eventName.slice(0, 100), reason, detail };
      if (reason === 'duplicate' || reason === 'irrelevant') log.debug('realtime event ignored', fields);
      else log.warn('realtime event rejected', fields);
      rejections.emit(result.rejection);
      return;
    }
    stats.events += 1;
    stats.lastEventAt = clock.now().toISOString();
    try {
      apply(result.event);
    } catch (error) {
      log.error('applying a realtime event failed', { channel, event: eventName, type: result.event.type, error: toLogFormat(error) });
    }
    acceptedEvents.emit(result.event);
  };

  // ------------------------------------------------------------ private-channel auth
  const authorize = async (socketId: string, channelName: string, callback: ChannelAuthorizationCallback): Promise<void> => {
    const url = `${config.api.baseUrl.replace(/\/+$/, '')}/notifications/pusher/auth/`;
    try {
      if (!deps.token) throw new Error('the kiosk has no API token');
      const res = await doFetch(url, {
        method: 'POST',
        headers: { Authorization: `Token ${deps.token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ socket_id: socketId, channel_name: channelName }),
        signal: AbortSignal.timeout(config.api.timeoutMs),
      });
      const text = await res.text();
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        // handled below
      }
      const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      if (!res.ok) {
        const message = typeof record.error === 'string' ? record.error : typeof record.detail === 'string' ? record.detail : `HTTP ${res.status}`;
        throw new Error(`auth endpoint refused ${channelName}: ${res.status} ${message.slice(0, 200)}`);
      }
      if (typeof record.auth !== 'string' || record.auth === '') throw new Error(`auth endpoint answered without "auth" for ${channelName}`);
      callback(null, { auth: record.auth, ...(typeof record.channel_data === 'string' ? { channel_data: record.channel_data } : {}) });
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      log.warn('private channel auth failed', { channel: channelName, error: err.message });
      callback(err, null);
    }
  };

  // ------------------------------------------------------------ connection
  const clearReconnect = (): void => {
    if (reconnectTimer) {
      clearTimeout(reconnectTimer);
      timers.delete(reconnectTimer);
      reconnectTimer = null;
    }
  };
  const scheduleReconnect = (): void => {
    if (reconnectTimer || stopped) return;
    reconnectTimer = later(reconnectDelay, () => {
      reconnectTimer = null;
      if (stopped || !client || client.connection.state === 'connected') return;
      forcedAttempts += 1;
      log.debug('starting a fresh connection attempt', { attempt: forcedAttempts, afterMs: reconnectDelay });
      reconnectDelay = Math.min(Math.round(reconnectDelay * 1.5), RECONNECT_MAX_MS);
      forcing = true;
      try {
        client.disconnect();
        client.connect();
      } catch (error) {
        log.warn('reconnect attempt failed', { error: toLogFormat(error) });
      } finally {
        forcing = false;
      }
      scheduleReconnect();
    });
  };

  const onConnected = (): void => {
    clearReconnect();
    reconnectDelay = reconnectCheckMs;
    subscribed = new Set();
    caughtUpThisConnection = false;
    if (subscribeTimer) clearTimeout(subscribeTimer);
    subscribeTimer = later(subscribeTimeoutMs, () => {
      subscribeTimer = null;
      const missing = channelNames.filter((name) => !subscribed.has(name));
      log.warn('not every channel subscribed in time; catching up anyway', { missing });
      catchUpAfterConnect('subscription timeout');
    });
  };

  const bindChannel = (name: string): void => {
    if (!client) return;
    const channel = client.subscribe(name);
    channel.bind('pusher:subscription_succeeded', () => {
      if (stopped) return;
      subscribed.add(name);
      if (caughtUpThisConnection) {
        // A late subscription: anything sent before it succeeded is lost.
        log.info('late subscription; catching up', { channel: name });
        requestCatchUp('reconnect');
      } else if (channelNames.every((n) => subscribed.has(n))) {
        catchUpAfterConnect('all channels subscribed');
      }
    });
    channel.bind('pusher:subscription_error', (error: unknown) => {
      if (stopped) return;
      const status = typeof error === 'object' && error !== null && 'status' in error ? (error as { status: unknown }).status : null;
      log.warn('subscription failed; will retry', { channel: name, status, retryInMs: resubscribeDelayMs });
      later(resubscribeDelayMs, () => {
        if (stopped || !client || subscribed.has(name)) return;
        client.unsubscribe(name);
        bindChannel(name);
      });
    });
    channel.bind_global((eventName: string, data: unknown) => handle(name, eventName, data));
  };

  return {
    async start() {
      if (problem) {
        log.info('realtime disabled', { reason: problem });
        setState('disabled');
        return;
      }
      if (!stopped) return;
      stopped = false;
      setState('connecting');
      const options = pusherClientOptions(config, config.pusher.privateChannels ? (s, c, cb) => void authorize(s, c, cb) : undefined);
      log.info('connecting', {
        server: config.pusher.host ? `${config.pusher.host}:${config.pusher.port}` : `cluster ${options.cluster}`,
        tls: config.pusher.useTLS,
        channels: channelNames,
      });
      try {
        client = new PusherImpl(config.pusher.key, options);
      } catch (error) {
        stopped = true;
        setState('offline');
        log.error('could not create the Pusher client', { error: toLogFormat(error) });
        return;
      }
      const current = client;
      current.connection.bind('state_change', ({ previous, current: now }) => {
        if (stopped || client !== current || forcing) return;
        log.info('connection state', { from: previous, to: now });
        if (now === 'connected') onConnected();
        else scheduleReconnect();
        setState(STATE_MAP[now] ?? 'offline');
      });
      scheduleReconnect();
      for (const name of channelNames) bindChannel(name);
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      subscribeTimer = null;
      reconnectTimer = null;
      const old = client;
      client = null;
      try {
        old?.disconnect();
      } catch (error) {
        log.warn('disconnect failed', { error: toLogFormat(error) });
      }
      setState('offline');
      const inFlight = [...catchUps.inFlight(), ...reReads.inFlight()];
      if (inFlight.length > 0) {
        await Promise.race([Promise.all(inFlight), new Promise<void>((resolve) => setTimeout(resolve, 5000).unref())]);
      }
    },

    state: () => state,
    onState: stateChanges.subscribe,
    stats: () => ({ ...stats }),
    onEvent: acceptedEvents.subscribe,
    onRejected: rejections.subscribe,
    channels: () => [...channelNames],
  };
}
