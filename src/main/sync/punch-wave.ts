/**
 * One wave of punches: claims them in the ledger, decides each against HotelMate in parallel, then
 * records every verdict and the server facts learned in one commit, and reports what happened.
 */
import type { ServerStatusUpdate } from '../../shared/domain/types';
import type { Clock } from '../lib/clock';
import { errorMessage, toLogFormat } from '../lib/errors';
import type { Ledger, LedgerEvent } from '../ledger/ledger-store';
import type { Logger } from '../logging/logger';
import { decide, type DecideOptions, type PunchApi, type StaffProfile } from './decide';
import { manualSessionOf, utcToday, type ManualSession } from './manual-session';
import type { SyncStatus } from './sync-status';
import type { Verdict } from './verdict';
import { retryDelayMs, type SchedulePolicy } from './wave-scheduler';

/** Supplies the 128-d encoding to send for a punch: the template registered for the person, else the live one. */
export type DescriptorFor = (event: LedgerEvent, live: Float32Array | null) => Float32Array | null;

export interface PunchWaveDeps {
  ledger: Ledger;
  api: PunchApi;
  clock: Clock;
  logger: Logger;
  status: SyncStatus;
  policy: DecideOptions & Pick<SchedulePolicy, 'baseDelayMs' | 'maxDelayMs' | 'lateWriteMs' | 'random'>;
  /** The scheduler's clock for due times (monotonic, see `createScheduleTime`): retries are set on it. */
  scheduleTime: () => number;
  descriptorFor: DescriptorFor;
  /** Where server facts learned while syncing go (the reference cache); called inside the verdict's commit. */
  recordServerStatus: (update: ServerStatusUpdate) => void;
  /** Called after a punch's new state is durable (to refresh effective status and counters). */
  onEventSettled?: (event: LedgerEvent) => void;
  /** Called after the commit with the other people HotelMate reported a status for (it matched the face to them). */
  onOthersLearned?: (staffIds: number[]) => void;
  /** An answer stops the whole sync (account refused, not HotelMate's API): sending pauses until the next probe. */
  onPaused: (message: string) => void;
}

/** One punch's attempt, decided but not yet recorded. */
interface Outcome {
  event: LedgerEvent;
  /** Attempts including this one. */
  attempts: number;
  verdict: Verdict;
  facts: ServerStatusUpdate[];
  now: Date;
  /** For a retry: when it is due, on the schedule clock. */
  retryAt: number;
  /** For a write with no answer: until when HotelMate may still carry it out (schedule clock); nothing is sent before. */
  lateWriteUntil: number | null;
  retryDelay: number;
}

/** Creates the wave sender: `send(events)` takes punches of different people (as `ledger.due()` gives them). */
export function createPunchWave(deps: PunchWaveDeps): { send(events: LedgerEvent[]): Promise<void> } {
  const { ledger, clock, logger, status, policy } = deps;
  /** Profile facts that came with the last face answer per person, kept with the status (board names offline). */
  const profiles = new Map<number, StaffProfile>();

  /** The synced clock-in this punch's session began with (the newest clock-in before it), if the ledger still has it. */
  const sessionSyncedAt = (event: LedgerEvent): string | null => {
    if (event.action === 'clock_in') return null;
    const previous = ledger.lastSessionEventBefore(event.staffId, event.seq);
    return previous && previous.action === 'clock_in' && previous.syncState === 'synced' ? previous.syncedAt : null;
  };

  /** For a clock-in without a face: the kiosk's own manual clock log of today its previous clock-in left open. */
  const ownManualSession = (event: LedgerEvent): ManualSession | null =>
    event.action === 'clock_in' && event.manualApprover ? manualSessionOf(ledger.lastSessionEventBefore(event.staffId, event.seq), utcToday(clock)) : null;

  /**
   * The encoding to send: for a face punch the person's registered template, else the live one; for
   * a punch a manager approved without a face only the face seen during it (HotelMate must match it
   * to the chosen person), never the person's template, which would vouch for a face nobody checked.
   */
  const encodingFor = (event: LedgerEvent): Float32Array | null => {
    const live = ledger.liveDescriptor(event.eventId);
    return event.manualApprover ? live : deps.descriptorFor(event, live);
  };

  /** Asks HotelMate and decides; writes nothing locally (the wave commits all verdicts together). */
  async function attempt(event: LedgerEvent): Promise<Outcome> {
    const attempts = event.attempts + 1;
    const sending: LedgerEvent = { ...event, attempts, syncState: 'sending' };
    let verdict: Verdict;
    let facts: ServerStatusUpdate[] = [];
    try {
      const decision = await decide(
        {
          event: sending,
          encoding: encodingFor(sending),
          sessionSyncedAt: sessionSyncedAt(event),
          profile: profiles.get(event.staffId) ?? null,
          sessionStart: event.serverSessionStart,
          ownManualSession: ownManualSession(event),
        },
        {
          api: deps.api,
          clock,
          options: policy,
          rememberSessionStart: (sessionStart) => ledger.rememberSessionStart(event.seq, sessionStart),
        },
      );
      verdict = decision.verdict;
      facts = decision.facts;
      if (decision.profile) profiles.set(event.staffId, decision.profile);
      else profiles.delete(event.staffId);
    } catch (error) {
      verdict = { kind: 'retry', message: `unexpected error while syncing: ${errorMessage(error)}` };
      logger.error('sync step threw', { eventId: event.eventId, error: toLogFormat(error) });
    }
    // A punch that keeps failing is never parked: it is retried at most every maxDelayMs, its
    // attempts and last error on show to managers. A Retry-After is honoured up to that bound.
    // A write with no answer is given the time HotelMate may still need to carry it out.
    const unanswered = verdict.kind === 'retry' && verdict.unanswered === true;
    const retryDelay =
      verdict.kind === 'retry'
        ? Math.max(retryDelayMs(attempts, policy), Math.min(verdict.waitMs ?? 0, policy.maxDelayMs), unanswered ? policy.lateWriteMs : 0)
        : 0;
    const scheduledNow = deps.scheduleTime();
    return {
      event,
      attempts,
      verdict,
      facts,
      now: clock.now(),
      retryAt: scheduledNow + retryDelay,
      retryDelay,
      lateWriteUntil: unanswered ? scheduledNow + policy.lateWriteMs : null,
    };
  }

  /** Writes one verdict to the ledger (inside the wave's transaction). */
  function record({ event, verdict, now, retryAt, lateWriteUntil }: Outcome): void {
    switch (verdict.kind) {
      case 'synced':
        ledger.markSynced(event.seq, { serverAction: verdict.serverAction, response: verdict.response, syncedAt: now, note: verdict.note ?? null });
        break;
      case 'review':
        ledger.markNeedsReview(event.seq, verdict.message, verdict.response, verdict.serverAction ?? null);
        break;
      case 'paused':
        // Due again as soon as the pause lifts; a counted pause keeps the attempt (it may have written).
        if (verdict.counted) ledger.markRetry(event.seq, verdict.message, 0);
        else ledger.markBlocked(event.seq, verdict.message, 0);
        break;
      case 'retry':
        // The late-write deadline is saved with the punch: the ledger offers it to no wave before then, whatever
        // brings its due time forward (a probe's `expedite`, a restart).
        ledger.markRetry(
          event.seq,
          lateWriteUntil === null ? verdict.message : `${verdict.message}; HotelMate is asked again once it can no longer be carrying that write out`,
          retryAt,
          { response: verdict.response, lateWriteUntilMs: lateWriteUntil },
        );
        break;
    }
  }

  /** Logs, status and listeners after a verdict is durable. */
  function report({ event, attempts, verdict, facts, now, retryDelay }: Outcome): void {
    switch (verdict.kind) {
      case 'synced':
        status.update({ lastSyncAt: now.toISOString() });
        logger.info('punch synced', {
          eventId: event.eventId,
          staffId: event.staffId,
          action: event.action,
          serverAction: verdict.serverAction,
          delaySeconds: Math.round((now.getTime() - event.occurredMs) / 1000),
        });
        break;
      case 'review':
        status.update({ lastError: verdict.message });
        logger.warn('punch needs review', { eventId: event.eventId, staffId: event.staffId, action: event.action, reason: verdict.message });
        break;
      case 'paused':
        deps.onPaused(verdict.message);
        break;
      case 'retry':
        logger.info('punch will be retried', { eventId: event.eventId, attempts, delayMs: retryDelay, reason: verdict.message });
        status.update({ lastError: verdict.message });
        break;
    }
    const settled = ledger.get(event.eventId);
    if (settled) deps.onEventSettled?.(settled);
    const others = [...new Set(facts.map((fact) => fact.staffId).filter((staffId) => staffId !== event.staffId))];
    if (others.length > 0) deps.onOthersLearned?.(others);
  }

  return {
    /**
     * Claims the punches ('sending', one commit), sends them in parallel, then records every verdict
     * and the server facts learned in one commit. A crash in between leaves rows in 'sending', which
     * the next start re-examines through the dispatcher.
     */
    async send(events) {
      ledger.atomically(() => {
        for (const event of events) ledger.markSending(event.seq);
      });
      const outcomes = await Promise.all(events.map(attempt));
      ledger.atomically(() => {
        for (const outcome of outcomes) {
          for (const fact of outcome.facts) deps.recordServerStatus(fact);
          record(outcome);
        }
      });
      for (const outcome of outcomes) report(outcome);
    },
  };
}
