/**
 * A second client of the HotelMate double: the HotelMate web app's face clock page (§4), driven by
 * a test. Each action runs the page's real sequence through the same backend as the kiosk's HTTP
 * requests: face-clock-in first (the dispatcher, which itself writes a rostered clock-in when the
 * person has no open log today), then the follow-up the page offers, posting the same encoding.
 * The Pusher events are whatever the backend sends for those calls: clock-in yes, break start
 * dropped (datetime in the payload), break end yes, clock-out (confirm-clock-out) none.
 */
import { nearby } from './encodings';
import type { BackendRequest, BackendResponse } from './protocol';
import type { DB, FaceRow, StaffRow } from './store';

export type WebAppIntent = 'clock_in' | 'start_break' | 'end_break' | 'clock_out';

export interface WebAppOptions {
  /** The staff account the web app is signed in as (any same-hotel account works); default the person's own. */
  signedInAs?: number;
  /** The reason typed into the unrostered form (clock-in only); the backend's default when omitted. */
  reason?: string;
  /** What the page sends as `location_note` (the real page sends "Kiosk"). */
  locationNote?: string;
}

export interface WebAppStep {
  /** The path posted to, with `/api`. */
  path: string;
  status: number;
  body: unknown;
}

export interface WebAppResult {
  /**
   * The `action` of the last answer (`clock_in_success`, `unrostered_clock_in`, `break_started`,
   * `break_ended`, `clock_out_success`), or where the page stopped: `clock_out_options` when the
   * wanted button is not offered (a clock-out during a break), `unrostered_detected` for an
   * unrostered person when the intent was not a clock-in, `error` for a non-2xx answer.
   */
  outcome: string;
  steps: WebAppStep[];
}

export interface DoubleWebApp {
  clockIn(staffId: number, options?: WebAppOptions): WebAppResult;
  startBreak(staffId: number, options?: WebAppOptions): WebAppResult;
  endBreak(staffId: number, options?: WebAppOptions): WebAppResult;
  clockOut(staffId: number, options?: WebAppOptions): WebAppResult;
}

/** The option button the page presses for each intent (`available_actions[].action`). */
const OPTION_FOR: Record<WebAppIntent, string | null> = { clock_in: null, start_break: 'start_break', end_break: 'resume_shift', clock_out: 'clock_out' };

interface DispatcherAnswer {
  action?: string;
  confirmation_endpoint?: string;
  available_actions?: { action: string; endpoint: string }[];
}

/** Builds the web app over the store (for the person's face and token) and the backend's dispatch. */
export function createWebApp(db: DB, dispatch: (request: BackendRequest) => BackendResponse, origin: () => string): DoubleWebApp {
  const staffById = db.prepare<[number], StaffRow>('SELECT * FROM staff WHERE id = ?');
  const faceOf = db.prepare<[number], FaceRow>('SELECT * FROM faces WHERE staff_id = ? AND is_active = 1');

  const post = (token: string, path: string, body: Record<string, unknown>, steps: WebAppStep[]): BackendResponse => {
    const response = dispatch({
      method: 'POST',
      pathname: path,
      query: new URLSearchParams(),
      body,
      invalidJson: false,
      authorization: `Token ${token}`,
      clientIp: '198.51.100.20',
      userAgent: 'HotelMate web app',
      origin: origin(),
    });
    steps.push({ path, status: response.status, body: response.json ?? null });
    return response;
  };

  const run = (intent: WebAppIntent, staffId: number, options: WebAppOptions = {}): WebAppResult => {
    const person = staffById.get(staffId);
    const face = faceOf.get(staffId);
    if (!person || !face) throw new Error(`hotelmate-double webApp: staff ${staffId} has no active face, so the web app's face clock cannot identify them`);
    const account = staffById.get(options.signedInAs ?? staffId);
    if (!account) throw new Error(`hotelmate-double webApp: no staff ${String(options.signedInAs)} to sign in as`);
    const hotelSlug = db.prepare<[number], { slug: string }>('SELECT slug FROM hotels WHERE id = ?').get(person.hotel_id)!.slug;
    // A fresh capture of the registered face; the page re-sends this same encoding on its follow-up.
    const encoding = nearby(JSON.parse(face.encoding) as number[], 0.02, staffId);
    const locationNote = options.locationNote ?? 'Kiosk';
    const steps: WebAppStep[] = [];
    const stop = (response: BackendResponse): WebAppResult => ({
      outcome: response.status >= 300 ? 'error' : ((response.json as DispatcherAnswer).action ?? 'error'),
      steps,
    });

    const first = post(account.token, `/api/staff/hotel/${hotelSlug}/attendance/face-management/face-clock-in/`, { encoding, location_note: locationNote, is_kiosk_mode: false }, steps);
    const answer = first.json as DispatcherAnswer;
    if (first.status >= 300) return stop(first);
    if (answer.action === 'unrostered_detected' && intent === 'clock_in' && answer.confirmation_endpoint) {
      const reason = options.reason === undefined ? {} : { reason: options.reason };
      return stop(post(account.token, `/api${answer.confirmation_endpoint}`, { encoding, ...reason, location_note: locationNote }, steps));
    }
    const option = answer.action === 'clock_out_options' ? answer.available_actions?.find((a) => a.action === OPTION_FOR[intent]) : undefined;
    if (option) return stop(post(account.token, option.endpoint, { encoding }, steps));
    return stop(first);
  };

  return {
    clockIn: (staffId, options) => run('clock_in', staffId, options),
    startBreak: (staffId, options) => run('start_break', staffId, options),
    endBreak: (staffId, options) => run('end_break', staffId, options),
    clockOut: (staffId, options) => run('clock_out', staffId, options),
  };
}
