/**
 * Self-healing for the Electron side: a crashed renderer is reloaded, a hung one (unresponsive past a
 * grace period) is killed and reloaded, and an uncaught error in main relaunches the whole app, all
 * paced by the relaunch policy (src/main/platform/relaunch-policy.ts) so a crash loop backs off.
 */
import { app, type BrowserWindow } from 'electron';
import { type Logger, toLogFormat } from '../logging/logger';
import { type CrashKind, type RelaunchPolicy, type RelaunchStats, saveRelaunchState } from '../platform/relaunch-policy';
import { UNRESPONSIVE_GRACE_MS } from './policy';

export interface SelfHealingOptions {
  policy: RelaunchPolicy;
  logger: Logger;
  /** Where the policy state is saved before a relaunch (e.g. `<dataDir>/relaunch-state.json`). */
  stateFile: string;
  /** Makes a fresh window when the old one is gone for good. */
  recreateWindow: () => void;
  /** Counts for the diagnostics screen. */
  onRestart?: (kind: CrashKind) => void;
  unresponsiveGraceMs?: number;
}

export interface SelfHealing {
  /** Watches a (new) kiosk window. */
  watch(win: BrowserWindow): void;
  /** Catches uncaught errors in main and relaunches the app (paced). Call once. */
  installMainProcessHandlers(): void;
  stats(): RelaunchStats;
}

/** Creates the self-healing wiring; nothing is watched until `watch` / `installMainProcessHandlers`. */
export function createSelfHealing(options: SelfHealingOptions): SelfHealing {
  const log = options.logger.child('self-heal');
  const grace = options.unresponsiveGraceMs ?? UNRESPONSIVE_GRACE_MS;
  let relaunching = false;

  const record = (kind: CrashKind): number => {
    const decision = options.policy.recordCrash(kind);
    saveRelaunchState(options.stateFile, options.policy.snapshot());
    options.onRestart?.(kind);
    (decision.backingOff ? log.error : log.warn)('recovering', { kind, delayMs: decision.delayMs, reason: decision.reason });
    return decision.delayMs;
  };

  return {
    stats: () => options.policy.stats(),
    watch(win) {
      let hangTimer: NodeJS.Timeout | null = null;
      let pendingKind: CrashKind | null = null;
      const clearHang = (): void => {
        if (hangTimer) clearTimeout(hangTimer);
        hangTimer = null;
      };
      win.webContents.on('render-process-gone', (_event, details) => {
        clearHang();
        // A renderer that exits cleanly is the window closing (quit), not a crash.
        if (details.reason === 'clean-exit' && pendingKind === null) return;
        const kind = pendingKind ?? 'renderer-gone';
        pendingKind = null;
        log.error('renderer process gone', { reason: details.reason, exitCode: details.exitCode });
        const delay = record(kind);
        setTimeout(() => {
          if (win.isDestroyed()) options.recreateWindow();
          else win.webContents.reload();
        }, delay);
      });
      win.on('unresponsive', () => {
        log.warn('renderer unresponsive', { graceMs: grace });
        clearHang();
        hangTimer = setTimeout(() => {
          hangTimer = null;
          if (win.isDestroyed()) return;
          pendingKind = 'renderer-unresponsive';
          log.error('renderer still unresponsive: restarting it');
          win.webContents.forcefullyCrashRenderer();
        }, grace);
      });
      win.on('responsive', () => {
        if (hangTimer) log.info('renderer responsive again');
        clearHang();
      });
      win.on('closed', clearHang);
    },
    installMainProcessHandlers() {
      process.on('uncaughtException', (error) => {
        log.error('uncaught error in main', { error: toLogFormat(error) });
        if (relaunching) return;
        relaunching = true;
        const delay = record('main-uncaught');
        setTimeout(() => {
          app.relaunch();
          app.exit(1);
        }, delay);
      });
      process.on('unhandledRejection', (reason) => {
        // Logged, not fatal: a stray rejected promise must not restart a working kiosk.
        log.error('unhandled promise rejection in main', { error: toLogFormat(reason) });
      });
    },
  };
}
