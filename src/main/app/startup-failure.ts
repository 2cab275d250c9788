/**
 * What the screens talk to when the kiosk could not be built at all (createKioskApp threw: the data
 * folder cannot be created or written, say). The shells (Electron, dev:web) serve this router in its
 * place, so the window shows the problem screen with the reason instead of a spinner forever or a
 * silent exit. Nothing here opens the admin area or records anything: every admin and punch request
 * is refused.
 */
import type { KioskProblem } from '../../shared/domain/problems';
import type { KioskInfo } from '../../shared/domain/types';
import type { RequestHandlers } from '../../shared/ipc/contract';
import { createIpcRouter, type IpcRouter } from '../channels/router';
import { errorMessage, toLogFormat } from '../lib/errors';
import type { Logger } from '../logging/logger';

/** The problem a failed start shows (plain English detail for support). */
export function startupFailureProblem(error: unknown, at: Date): KioskProblem {
  return { code: 'startup_failed', blocking: true, detail: `The kiosk could not start: ${errorMessage(error)}`, at: at.toISOString() };
}

/** The kiosk info of a kiosk that could not start: setup mode with the one problem. */
export function startupFailureInfo(problem: KioskProblem, versions: Record<string, string>): KioskInfo {
  return {
    mode: 'setup',
    setupReasons: [],
    problems: [problem],
    hotelName: 'HotelMate',
    hotelSlug: '',
    timeZone: 'Europe/Dublin',
    language: 'en',
    showBoard: false,
    kioskId: '',
    versions,
  };
}

/** Channels the failure screen answers; every other one is refused. */
function failureHandlers(problem: KioskProblem, versions: Record<string, string>, logger: Logger): Partial<RequestHandlers> {
  const rendererLog = logger.child('renderer');
  return {
    'app:info': () => startupFailureInfo(problem, versions),
    'app:connection': () => ({ api: 'unconfigured', apiMessage: null, realtime: 'disabled', pendingPunches: 0, needsReview: 0, lastSyncAt: null }),
    // The admin area stays closed: there is no PIN to check it against.
    'admin:status': () => ({ unlocked: false, pinSet: true, lockedUntil: null, attemptsLeft: 0, pinTooShort: false }),
    'camera:status': () => ({ state: 'stopped', deviceId: null, deviceLabel: null, message: problem.detail, fps: 0, restarts: 0 }),
    'board:onDuty': () => ({ departments: [], updatedAt: null }),
    'app:setLanguage': () => ({ ok: true }),
    'log:renderer': (entry) => {
      rendererLog[entry.level](entry.message, entry.stack ? { stack: entry.stack } : undefined);
    },
  };
}

/**
 * A router for the failure screen: the same validation as the kiosk's, the states above, and a
 * refusal (`forbidden`) for everything else.
 */
export function createStartupFailureRouter(error: unknown, logger: Logger, versions: Record<string, string>, now = new Date()): IpcRouter {
  const problem = startupFailureProblem(error, now);
  logger.child('app').error('the kiosk could not start: showing the problem screen', { error: toLogFormat(error) });
  const known = failureHandlers(problem, versions, logger);
  // The gate lets only the channels above through, so the missing handlers are never called.
  return createIpcRouter(known as RequestHandlers, logger, (channel) => channel in known);
}
