/**
 * Fault injection for the HotelMate double's HTTP server: latency, a 500 after the write, dropped
 * connections, 401 for one token, malformed bodies, another answer after the write, a request held until the test releases it. Each fault matches by method and path and
 * applies to a number of requests; the server asks `take()` at each point where one may apply.
 */

export interface FaultOptions {
  method?: string;
  /** Substring of the path (e.g. `toggle-break`) or a RegExp tested against it. Default: every request. */
  path?: string | RegExp;
  /** How many matching requests the fault applies to (default 1; `Infinity` for all). */
  times?: number;
}

export interface DoubleFaults {
  /** Delays matching responses by `ms` (before the handler runs by default, so the write happens late). */
  latency(ms: number, options?: FaultOptions & { phase?: 'before' | 'after' }): void;
  /**
   * Holds matching requests before the handler (nothing written yet) until the returned function is
   * called: "HotelMate has not answered" without depending on how fast the machine is.
   */
  hold(options?: FaultOptions): () => void;
  /** Runs the handler (the write persists) and then answers 500 instead. */
  failAfterWrite(options?: FaultOptions & { html?: boolean }): void;
  /** Destroys the socket: `before` the handler (nothing written) or `after` it (written, no answer). */
  dropConnection(options: FaultOptions & { when: 'before' | 'after' }): void;
  /** Answers 401 `Invalid token.` to every request carrying this token until `acceptToken`. */
  rejectToken(token: string): void;
  acceptToken(token: string): void;
  /** Runs the handler and sends `body` (default: the real body cut in half) with the real status. */
  malformedBody(options?: FaultOptions & { body?: string }): void;
  /**
   * Runs the handler (the write persists) and then sends this answer instead of the real one: what
   * a web filter or a changed backend may send back for a request HotelMate did carry out.
   */
  answerAfterWrite(options: FaultOptions & ReplacedAnswer): void;
  /** Removes every pending fault (rejected tokens included). */
  clear(): void;
}

/** The answer `answerAfterWrite` sends in place of the real one. */
export interface ReplacedAnswer {
  status: number;
  body: string;
  /** Default `text/html; charset=utf-8`. */
  contentType?: string;
}

export type FaultKind = 'latency' | 'hold' | 'fail_after_write' | 'drop_before' | 'drop_after' | 'malformed' | 'answer_after_write';

export interface FaultRule {
  kind: FaultKind;
  method?: string;
  path?: string | RegExp;
  remaining: number;
  ms?: number;
  phase?: 'before' | 'after';
  html?: boolean;
  body?: string;
  answer?: ReplacedAnswer;
  /** A `hold` rule: settles when the test releases the held requests. */
  released?: Promise<void>;
}

/** The pending faults, as the tests set them and as the server consumes them. */
export interface FaultBook {
  api: DoubleFaults;
  /** The first pending rule of `kind` matching the request, counted as used; null when none. */
  take(kind: FaultKind, method: string, path: string): FaultRule | null;
  isRejected(token: string | undefined): boolean;
}

export function createFaultBook(): FaultBook {
  let rules: FaultRule[] = [];
  const rejectedTokens = new Set<string>();
  const add = (rule: Omit<FaultRule, 'remaining'>, times: number | undefined): void => {
    rules.push({ ...rule, remaining: times ?? 1 });
  };
  const matches = (r: FaultRule, kind: FaultKind, method: string, path: string): boolean =>
    r.kind === kind &&
    r.remaining > 0 &&
    (!r.method || r.method.toUpperCase() === method) &&
    (!r.path || (typeof r.path === 'string' ? path.includes(r.path) : r.path.test(path)));

  return {
    api: {
      latency: (ms, o = {}) => add({ kind: 'latency', ms, phase: o.phase ?? 'before', method: o.method, path: o.path }, o.times),
      hold: (o = {}) => {
        let release = (): void => undefined;
        const released = new Promise<void>((resolve) => {
          release = resolve;
        });
        add({ kind: 'hold', released, method: o.method, path: o.path }, o.times);
        return release;
      },
      failAfterWrite: (o = {}) => add({ kind: 'fail_after_write', html: o.html, method: o.method, path: o.path }, o.times),
      dropConnection: (o) => add({ kind: o.when === 'before' ? 'drop_before' : 'drop_after', method: o.method, path: o.path }, o.times),
      rejectToken: (token) => {
        rejectedTokens.add(token);
      },
      acceptToken: (token) => {
        rejectedTokens.delete(token);
      },
      malformedBody: (o = {}) => add({ kind: 'malformed', body: o.body, method: o.method, path: o.path }, o.times),
      answerAfterWrite: (o) =>
        add({ kind: 'answer_after_write', answer: { status: o.status, body: o.body, contentType: o.contentType }, method: o.method, path: o.path }, o.times),
      clear: () => {
        rules = [];
        rejectedTokens.clear();
      },
    },
    take(kind, method, path) {
      const rule = rules.find((r) => matches(r, kind, method, path));
      if (!rule) return null;
      rule.remaining -= 1;
      if (rule.remaining <= 0) rules = rules.filter((r) => r !== rule);
      return rule;
    },
    isRejected: (token) => token !== undefined && rejectedTokens.has(token),
  };
}
