/**
 * The kiosk's list of problems with itself (damaged files, a failed start or backup, unexpected
 * errors), which `app:info` carries to the screens: blocking ones put the problem screen in place of
 * the idle screen and refuse punches; the others are notices for managers. Every report is logged.
 */
import type { KioskProblem, ProblemCode } from '../../shared/domain/problems';
import type { Clock } from '../lib/clock';
import { createEmitter, type Subscribe } from '../lib/emitter';
import type { Logger } from '../logging/logger';

/** Problems that stop punching: without them the kiosk would lose, misfile or invent punches. */
const BLOCKING: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'database_missing',
  'database_damaged',
  'database_replaced',
  'database_behind',
  'database_too_new',
  'database_unavailable',
  'templates_unreadable',
  'face_models',
  'startup_failed',
]);

/** Whether a problem of this kind stops punching. */
export function isBlocking(code: ProblemCode): boolean {
  return BLOCKING.has(code);
}

export interface ProblemList {
  list(): KioskProblem[];
  /** Adds (or replaces, by code) a problem and logs it. */
  report(code: ProblemCode, detail: string): void;
  clear(code: ProblemCode): void;
  has(code: ProblemCode): boolean;
  /** True when any problem stops punching. */
  blocking(): boolean;
  onChange: Subscribe<KioskProblem[]>;
}

export function createProblemList(deps: { clock: Clock; logger: Logger }): ProblemList {
  const log = deps.logger.child('problems');
  const problems = new Map<ProblemCode, KioskProblem>();
  const changes = createEmitter<KioskProblem[]>('problems', log);
  const list = (): KioskProblem[] => [...problems.values()];
  return {
    list,
    report(code, detail) {
      const blocking = isBlocking(code);
      (blocking ? log.error : log.warn)(blocking ? 'problem: punching is refused' : 'problem', { code, detail });
      problems.set(code, { code, blocking, detail, at: deps.clock.now().toISOString() });
      changes.emit(list());
    },
    clear(code) {
      if (problems.delete(code)) changes.emit(list());
    },
    has: (code) => problems.has(code),
    blocking: () => [...problems.values()].some((p) => p.blocking),
    onChange: changes.subscribe,
  };
}
