/**
 * Catches what would otherwise kill main silently or vanish: an unhandled promise rejection or an
 * uncaught exception is logged (so it reaches the log file and the diagnostics' recent errors) and
 * handed to `onError`, which turns it into a notice on screen. The process carries on: every punch is
 * its own SQLite transaction, so the ledger is consistent at any instant. (In Electron the shell's
 * self-healing also relaunches the app after an uncaught exception, paced.)
 */
import { toLogFormat } from '../lib/errors';
import type { Logger } from '../logging/logger';

export type ProcessErrorKind = 'unhandled-rejection' | 'uncaught-exception';

/** The part of `process` the guards use (tests pass an EventEmitter). */
export interface ProcessEvents {
  on(event: 'unhandledRejection' | 'uncaughtException', listener: (error: unknown) => void): unknown;
  off(event: 'unhandledRejection' | 'uncaughtException', listener: (error: unknown) => void): unknown;
}

export interface ProcessGuardOptions {
  logger: Logger;
  /** Told after the error is logged. Must not throw. */
  onError?: (kind: ProcessErrorKind, error: unknown) => void;
  target?: ProcessEvents;
  /** Log the errors here (default true); false where another handler logs them already (Electron's self-healing). */
  log?: boolean;
}

/** Installs the guards; returns their removal. */
export function installProcessGuards(options: ProcessGuardOptions): () => void {
  const target = options.target ?? process;
  const log = options.logger.child('process');
  const handle = (kind: ProcessErrorKind) => (error: unknown) => {
    if (options.log ?? true) log.error(kind === 'uncaught-exception' ? 'uncaught exception in main (the kiosk carries on)' : 'unhandled promise rejection in main', { error: toLogFormat(error) });
    try {
      options.onError?.(kind, error);
    } catch (reportError) {
      log.error('reporting a main-process error failed', { error: toLogFormat(reportError) });
    }
  };
  const onRejection = handle('unhandled-rejection');
  const onException = handle('uncaught-exception');
  target.on('unhandledRejection', onRejection);
  target.on('uncaughtException', onException);
  return () => {
    target.off('unhandledRejection', onRejection);
    target.off('uncaughtException', onException);
  };
}
