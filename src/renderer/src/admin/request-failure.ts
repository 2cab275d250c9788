/**
 * One way for the manager panels to handle a request that failed outright: main's message goes to
 * its log, the panel shows a translated, plain sentence (see i18n/codes.ts requestFailureKey).
 */
import { useCallback, useState } from 'react';
import { reportError, useKiosk } from '../api';
import { requestFailureKey } from '../i18n/codes';
import type { PlainKey } from '../i18n/i18n';

export interface RequestFailure {
  /** The sentence to show, or null while the last request went well. */
  failure: PlainKey | null;
  /** Logs `error` under `what` and shows its plain sentence. */
  fail: (what: string, error: unknown) => void;
  clear: () => void;
}

/** The failure state of one panel. */
export function useRequestFailure(): RequestFailure {
  const api = useKiosk();
  const [failure, setFailure] = useState<PlainKey | null>(null);
  const fail = useCallback(
    (what: string, error: unknown) => {
      reportError(api, what, error);
      setFailure(requestFailureKey(error));
    },
    [api],
  );
  const clear = useCallback(() => setFailure(null), []);
  return { failure, fail, clear };
}
