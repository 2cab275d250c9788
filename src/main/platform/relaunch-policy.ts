/**
 * Decides how the kiosk heals itself after a crash: relaunch at once a few times, then back off so a
 * crash loop neither burns the CPU nor hides the problem; the state survives a main-process restart
 * (a JSON file) so a crash at start-up still backs off. Pure apart from the injected clock.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../lib/clock';

export type CrashKind = 'renderer-gone' | 'renderer-unresponsive' | 'main-uncaught' | 'watchdog';

export interface RelaunchPolicyOptions {
  clock: Clock;
  /** Immediate relaunches allowed inside `windowMs` before backing off. Default 3. */
  maxRelaunches?: number;
  /** Sliding window for counting crashes. Default 10 minutes. */
  windowMs?: number;
  /** First back-off delay, doubled on each further crash. Default 30 s. */
  backoffBaseMs?: number;
  /** Longest back-off delay. Default 15 minutes. */
  backoffMaxMs?: number;
  /** Restored state (see `snapshot()`), e.g. from the previous process. */
  state?: RelaunchState;
}

export interface RelaunchDecision {
  /** Wait this long before relaunching (0 = now). The kiosk never gives up. */
  delayMs: number;
  /** Crashes counted in the current window, this one included. */
  recentCrashes: number;
  backingOff: boolean;
  reason: string;
}

export interface RelaunchState {
  /** Epoch ms of recent crashes (wall clock: the monotonic clock restarts with the process). */
  crashTimes: number[];
  totals: Partial<Record<CrashKind, number>>;
  lastCrashAt: number | null;
}

export interface RelaunchStats {
  totals: Partial<Record<CrashKind, number>>;
  total: number;
  recentCrashes: number;
  lastCrashAt: string | null;
}

export interface RelaunchPolicy {
  /** Records a crash and says when to relaunch. */
  recordCrash(kind: CrashKind): RelaunchDecision;
  stats(): RelaunchStats;
  /** Serialisable state to persist before the process restarts. */
  snapshot(): RelaunchState;
}

/** Creates the policy. Crashes older than the window are forgotten, which resets the back-off. */
export function createRelaunchPolicy(options: RelaunchPolicyOptions): RelaunchPolicy {
  const maxRelaunches = options.maxRelaunches ?? 3;
  const windowMs = options.windowMs ?? 10 * 60_000;
  const base = options.backoffBaseMs ?? 30_000;
  const max = options.backoffMaxMs ?? 15 * 60_000;
  const state: RelaunchState = {
    crashTimes: [...(options.state?.crashTimes ?? [])],
    totals: { ...(options.state?.totals ?? {}) },
    lastCrashAt: options.state?.lastCrashAt ?? null,
  };

  const prune = (now: number): void => {
    // A wall clock set backwards leaves "future" crashes: drop them as well as the expired ones.
    state.crashTimes = state.crashTimes.filter((t) => t > now - windowMs && t <= now);
  };

  return {
    recordCrash(kind) {
      const now = options.clock.now().getTime();
      prune(now);
      state.crashTimes.push(now);
      state.totals[kind] = (state.totals[kind] ?? 0) + 1;
      state.lastCrashAt = now;
      const recent = state.crashTimes.length;
      if (recent <= maxRelaunches) {
        return { delayMs: 0, recentCrashes: recent, backingOff: false, reason: `${kind}: relaunch ${recent} of ${maxRelaunches} in the window` };
      }
      const step = recent - maxRelaunches - 1;
      const delayMs = Math.min(max, base * 2 ** Math.min(step, 30));
      return {
        delayMs,
        recentCrashes: recent,
        backingOff: true,
        reason: `${kind}: ${recent} crashes within ${Math.round(windowMs / 60_000)} min, waiting ${Math.round(delayMs / 1000)} s before relaunching`,
      };
    },
    stats() {
      prune(options.clock.now().getTime());
      return {
        totals: { ...state.totals },
        total: Object.values(state.totals).reduce((sum, n) => sum + (n ?? 0), 0),
        recentCrashes: state.crashTimes.length,
        lastCrashAt: state.lastCrashAt === null ? null : new Date(state.lastCrashAt).toISOString(),
      };
    },
    snapshot() {
      return { crashTimes: [...state.crashTimes], totals: { ...state.totals }, lastCrashAt: state.lastCrashAt };
    },
  };
}

/** Reads a persisted state; a missing or damaged file yields undefined (start fresh), never throws. */
export function loadRelaunchState(file: string): RelaunchState | undefined {
  try {
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<RelaunchState>;
    if (!Array.isArray(raw.crashTimes) || !raw.crashTimes.every((t) => typeof t === 'number')) return undefined;
    const totals: Partial<Record<CrashKind, number>> = {};
    for (const [key, value] of Object.entries(raw.totals ?? {})) {
      if (typeof value === 'number' && Number.isFinite(value)) totals[key as CrashKind] = value;
    }
    return { crashTimes: raw.crashTimes, totals, lastCrashAt: typeof raw.lastCrashAt === 'number' ? raw.lastCrashAt : null };
  } catch {
    return undefined;
  }
}

/** Persists the state synchronously (called right before a relaunch); failures are swallowed and reported as false. */
export function saveRelaunchState(file: string, state: RelaunchState): boolean {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(state));
    fs.renameSync(`${file}.tmp`, file);
    return true;
  } catch {
    return false;
  }
}
