/**
 * The kiosk's UI state machine (XState v5): which screen is shown, what it may hold about the person
 * in front of the kiosk, and when it must forget them. Every screen change goes through here so
 * timeouts and the privacy reset cannot be bypassed by a component. Main decides who is in front of
 * the camera: when the recognised face leaves or is replaced (`face:gone` naming its recognition),
 * the greeting and the reason step return to idle at once; a punch already sent is finished, and
 * the next person's recognition waits for its result. Before a doubtful face is named, main may ask
 * for a small head turn (`face:challenge`): the challenge screen shows the prompt, never a name; a
 * face that does not pass (`face:livenessFailed`) gets "Try again", and from its second failure on
 * the manager fallback (`livenessFailure.managerFallback`).
 */
import { assign, fromPromise, setup } from 'xstate';
import type {
  ClockAction,
  EffectiveStatus,
  FaceGone,
  FaceObservation,
  KioskInfo,
  LivenessChallenge,
  LivenessFailure,
  Recognition,
  UnknownFace,
} from '../../../shared/domain/types';
import { isHeldForUndo, type PunchRequest, type PunchResult, type UndoResult } from '../../../shared/domain/punch';
import { messageOf } from '../api';

/** A successful punch as the confirmation screen shows it. */
export type PunchSuccess = Extract<PunchResult, { ok: true }>;

export interface PunchFailure {
  /** A PunchErrorCode, or 'generic' when the request itself failed. */
  code: string;
  message: string;
}


/** What the machine needs from the outside world; the app passes window.kiosk-backed versions. */
export interface KioskMachineDeps {
  punch: (input: PunchRequest) => Promise<PunchResult>;
  /** "Not you?": tell main the match was wrong. Fire and forget. */
  rejectMatch: (recognitionId: string) => void;
  /** "Start again" / "Try again": main decides the face in view afresh. Fire and forget. */
  startAgain: () => void;
  /** Leaving the admin area locks the admin session in main. Fire and forget. */
  lockAdmin: () => void;
  /** "Undo" on the done screen, within the punch's undo window. */
  undo: (eventId: string) => Promise<UndoResult>;
  /** The done screen moved on: the punch's undo window ends and main may send it. Fire and forget. */
  release: (eventId: string) => void;
}

export interface KioskContext {
  mode: 'setup' | 'kiosk' | 'unknown';
  greetingMs: number;
  observation: FaceObservation | null;
  recognition: Recognition | null;
  unknown: UnknownFace | null;
  action: ClockAction | null;
  reason: string | null;
  result: PunchSuccess | null;
  failure: PunchFailure | null;
  /** The recognised person's face left or was replaced while their punch was being saved. */
  personGone: boolean;
  /** The next person, recognised while a punch was being saved: greeted once its result was shown. */
  next: Recognition | null;
  /** Undo was tapped too late (the punch is on its way): the done screen says so. */
  undoRefused: boolean;
  /** "Enrol now" after a punch without a face: the person the admin area opens enrolment for. */
  enrolStaffId: number | null;
  /** The head turn main asks for before naming the face in view (no name, no staff id). */
  challenge: LivenessChallenge | null;
  /** The face in view was not confirmed live: how often, and whether to offer the manager. */
  livenessFailure: LivenessFailure | null;
}

export type KioskEvent =
  | { type: 'INFO'; info: KioskInfo }
  | { type: 'OBSERVED'; observation: FaceObservation }
  | { type: 'RECOGNISED'; recognition: Recognition }
  | { type: 'UNKNOWN'; unknown: UnknownFace }
  | { type: 'GONE'; gone: FaceGone }
  | { type: 'CHALLENGE'; challenge: LivenessChallenge }
  | { type: 'LIVENESS_FAILED'; failure: LivenessFailure }
  | { type: 'START_AGAIN' }
  | { type: 'STATUS'; status: EffectiveStatus }
  | { type: 'CHOOSE'; action: ClockAction }
  | { type: 'REASON'; reason: string }
  | { type: 'BACK' }
  | { type: 'NOT_YOU' }
  | { type: 'CANCEL' }
  | { type: 'DISMISS' }
  | { type: 'RETRY' }
  | { type: 'ADMIN' }
  | { type: 'UNLOCKED' }
  | { type: 'LOCK' }
  | { type: 'ACTIVITY' }
  | { type: 'UNDO' }
  | { type: 'SETUP_DONE' }
  | { type: 'MANUAL' }
  | { type: 'MANUAL_DONE' }
  | { type: 'ENROL'; staffId: number }
  /** "Enrol now" after a manager's face approved (the admin area stayed locked): the PIN first. */
  | { type: 'ENROL_WITH_PIN'; staffId: number };

export type KioskScreen =
  | 'boot'
  | 'setup'
  | 'idle'
  | 'guidance'
  | 'recognised'
  | 'reason'
  | 'punching'
  | 'confirmed'
  | 'undoing'
  | 'undone'
  | 'failed'
  | 'unknown'
  | 'challenge'
  | 'notConfirmed'
  | 'adminPin'
  | 'admin'
  | 'manual';

/** Timings in milliseconds (the greeting timeout comes from KioskInfo). */
export const TIMINGS = {
  defaultGreetingMs: 15_000,
  confirmMs: 6_000,
  failedMs: 20_000,
  unknownMs: 12_000,
  /** A challenge screen outlasts the challenge's own time by this much if main never answers. */
  challengeGraceMs: 4_000,
  faceLostMs: 4_000,
  pinMs: 60_000,
  /** "Clock without face" closes after this long without a touch. */
  manualMs: 90_000,
  adminMs: 300_000,
  punchTimeoutMs: 15_000,
  /** How long a punch's result shows before the next person, recognised meanwhile, is greeted. */
  handoverMs: 1_500,
  /** How long "Undone" shows before the kiosk looks for the person afresh. */
  undoneMs: 4_000,
} as const;

/** Error codes after which the same recognition cannot be used again. */
const RECOGNITION_SPENT = new Set(['unknown_recognition', 'expired_recognition', 'recognition_used']);

const EMPTY_PERSON = {
  observation: null,
  recognition: null,
  unknown: null,
  action: null,
  reason: null,
  result: null,
  failure: null,
  personGone: false,
  next: null,
  undoRefused: false,
  challenge: null,
  livenessFailure: null,
} satisfies Partial<KioskContext>;

/** The next face's head-turn prompt or liveness failure replaces a result or "not recognised" at once (the prompt is short-lived). */
const NEXT_FACE_LIVENESS = {
  CHALLENGE: { target: 'challenge', actions: 'assignChallenge' },
  LIVENESS_FAILED: { target: 'notConfirmed', actions: 'assignLivenessFailure' },
} as const;

/** After a punch's result: the next person when one was recognised meanwhile, else idle. */
const NEXT_OR_IDLE = [{ guard: 'hasNext', target: 'recognised', actions: 'takeNext' }, { target: 'idle' }] as const;
/** Leaving the done screen: the punch's undo window ends (main may send it), then the next person or idle. */
const RELEASE_THEN_NEXT_OR_IDLE = [
  { guard: 'hasNext', target: 'recognised', actions: ['releasePunch', 'takeNext'] },
  { target: 'idle', actions: 'releasePunch' },
] as const;

/**
 * Builds the kiosk machine around its dependencies. Start it with `createActor(machine)` and feed it
 * the IPC events; tests drive it with fake timers.
 */
export function createKioskMachine(deps: KioskMachineDeps) {
  return setup({
    types: {
      context: {} as KioskContext,
      events: {} as KioskEvent,
    },
    actors: {
      punch: fromPromise<PunchResult, PunchRequest>(({ input }) => deps.punch(input)),
      undo: fromPromise<UndoResult, string>(({ input }) => deps.undo(input)),
    },
    delays: {
      greeting: ({ context }) => context.greetingMs,
      confirm: TIMINGS.confirmMs,
      failed: TIMINGS.failedMs,
      unknown: TIMINGS.unknownMs,
      challenge: ({ context }) => (context.challenge?.timeoutMs ?? 0) + TIMINGS.challengeGraceMs,
      faceLost: TIMINGS.faceLostMs,
      pin: TIMINGS.pinMs,
      manual: TIMINGS.manualMs,
      admin: TIMINGS.adminMs,
      punchTimeout: TIMINGS.punchTimeoutMs,
      handover: TIMINGS.handoverMs,
      undone: TIMINGS.undoneMs,
    },
    guards: {
      isSetupMode: ({ event }) => event.type === 'INFO' && event.info.mode === 'setup',
      isKioskMode: ({ context }) => context.mode === 'kiosk',
      managerFallback: ({ context }) => context.livenessFailure?.managerFallback === true,
      hasMainFace: ({ event }) => event.type === 'OBSERVED' && event.observation.hasMainFace,
      needsReason: ({ context, event }) =>
        event.type === 'CHOOSE' && event.action === 'clock_in' && context.recognition?.shift === null,
      recognitionUsable: ({ context }) =>
        context.recognition !== null && !context.personGone && !(context.failure && RECOGNITION_SPENT.has(context.failure.code)),
      /** `face:gone` names the recognition on screen: that person is no longer in front of the camera. */
      isOwnGone: ({ context, event }) =>
        event.type === 'GONE' && event.gone.recognitionId !== null && event.gone.recognitionId === context.recognition?.recognitionId,
      hasNext: ({ context }) => context.next !== null,
      /** The punch on the done screen can still be undone (main holds it from the sync). */
      canUndo: ({ context }) => context.result !== null && isHeldForUndo(context.result) && !context.undoRefused,
      /** The person waiting to be greeted after a punch's result left (or was replaced) meanwhile. */
      isNextGone: ({ context, event }) =>
        event.type === 'GONE' && event.gone.recognitionId !== null && event.gone.recognitionId === context.next?.recognitionId,
    },
    actions: {
      clearPerson: assign(() => ({ ...EMPTY_PERSON })),
      assignInfo: assign(({ event }) => {
        if (event.type !== 'INFO') return {};
        const seconds = event.info.greetingTimeoutSeconds;
        return {
          mode: event.info.mode,
          greetingMs: typeof seconds === 'number' && seconds > 0 ? seconds * 1000 : TIMINGS.defaultGreetingMs,
        };
      }),
      assignObservation: assign(({ event }) => (event.type === 'OBSERVED' ? { observation: event.observation } : {})),
      assignRecognition: assign(({ event }) =>
        event.type === 'RECOGNISED'
          ? { ...EMPTY_PERSON, recognition: event.recognition }
          : {},
      ),
      assignUnknown: assign(({ event }) =>
        event.type === 'UNKNOWN' ? { ...EMPTY_PERSON, unknown: event.unknown } : {},
      ),
      assignChallenge: assign(({ event }) => (event.type === 'CHALLENGE' ? { ...EMPTY_PERSON, challenge: event.challenge } : {})),
      assignLivenessFailure: assign(({ event }) =>
        event.type === 'LIVENESS_FAILED' ? { ...EMPTY_PERSON, livenessFailure: event.failure } : {},
      ),
      assignStatus: assign(({ context, event }) => {
        if (event.type !== 'STATUS' || !context.recognition) return {};
        if (event.status.staffId !== context.recognition.staff.id) return {};
        return { recognition: { ...context.recognition, status: event.status } };
      }),
      assignAction: assign(({ event }) => (event.type === 'CHOOSE' ? { action: event.action, reason: null } : {})),
      assignReason: assign(({ event }) => (event.type === 'REASON' ? { reason: event.reason } : {})),
      assignNext: assign(({ event }) => (event.type === 'RECOGNISED' ? { next: event.recognition } : {})),
      takeNext: assign(({ context }) => ({ ...EMPTY_PERSON, recognition: context.next })),
      markGone: assign({ personGone: true }),
      dropNext: assign({ next: null }),
      assignEnrol: assign(({ event }) => (event.type === 'ENROL' || event.type === 'ENROL_WITH_PIN' ? { enrolStaffId: event.staffId } : {})),
      clearEnrol: assign({ enrolStaffId: null }),
      rejectMatch: ({ context }) => {
        if (context.recognition) deps.rejectMatch(context.recognition.recognitionId);
      },
      startAgain: () => deps.startAgain(),
      releasePunch: ({ context }) => {
        if (context.result && isHeldForUndo(context.result)) deps.release(context.result.eventId);
      },
      lockAdmin: () => deps.lockAdmin(),
    },
  }).createMachine({
    id: 'kiosk',
    initial: 'boot',
    context: {
      mode: 'unknown',
      greetingMs: TIMINGS.defaultGreetingMs,
      ...EMPTY_PERSON,
      enrolStaffId: null,
    },
    on: {
      // A config change that puts the kiosk back in setup mode (forget kiosk, bad token) wins.
      INFO: [
        { guard: 'isSetupMode', target: '.setup', actions: 'assignInfo' },
        { actions: 'assignInfo' },
      ],
    },
    states: {
      boot: {
        on: {
          INFO: [
            { guard: 'isSetupMode', target: 'setup', actions: 'assignInfo' },
            { target: 'idle', actions: 'assignInfo' },
          ],
        },
      },
      setup: {
        entry: 'clearPerson',
        on: {
          SETUP_DONE: { guard: 'isKioskMode', target: 'idle' },
        },
      },
      idle: {
        entry: ['clearPerson', 'clearEnrol'],
        on: {
          OBSERVED: { guard: 'hasMainFace', target: 'guidance', actions: 'assignObservation' },
          RECOGNISED: { target: 'recognised', actions: 'assignRecognition' },
          UNKNOWN: { target: 'unknown', actions: 'assignUnknown' },
          CHALLENGE: { target: 'challenge', actions: 'assignChallenge' },
          LIVENESS_FAILED: { target: 'notConfirmed', actions: 'assignLivenessFailure' },
          ADMIN: 'adminPin',
          // Offered while the camera is down.
          MANUAL: 'manual',
        },
      },
      guidance: {
        after: { faceLost: 'idle' },
        on: {
          OBSERVED: [
            // Each sighting of a face restarts the "face lost" timer.
            { guard: 'hasMainFace', target: 'guidance', reenter: true, actions: 'assignObservation' },
            { actions: 'assignObservation' },
          ],
          RECOGNISED: { target: 'recognised', actions: 'assignRecognition' },
          UNKNOWN: { target: 'unknown', actions: 'assignUnknown' },
          CHALLENGE: { target: 'challenge', actions: 'assignChallenge' },
          LIVENESS_FAILED: { target: 'notConfirmed', actions: 'assignLivenessFailure' },
          GONE: 'idle',
          // The face in view already had its decision: the person asks for a fresh one.
          START_AGAIN: { actions: 'startAgain' },
          ADMIN: 'adminPin',
        },
      },
      recognised: {
        after: { greeting: 'idle' },
        on: {
          CHOOSE: [
            { guard: 'needsReason', target: 'reason', actions: 'assignAction' },
            { target: 'punching', actions: 'assignAction' },
          ],
          STATUS: { actions: 'assignStatus' },
          RECOGNISED: { target: 'recognised', reenter: true, actions: 'assignRecognition' },
          GONE: { guard: 'isOwnGone', target: 'idle' },
          NOT_YOU: { target: 'idle', actions: 'rejectMatch' },
          CANCEL: 'idle',
        },
      },
      reason: {
        after: { greeting: 'idle' },
        on: {
          // Typing or choosing keeps the step open: the privacy timeout counts from the last touch.
          ACTIVITY: { target: 'reason', reenter: true },
          REASON: { target: 'punching', actions: 'assignReason' },
          BACK: 'recognised',
          STATUS: { actions: 'assignStatus' },
          // Main only recognises someone else after this person's face left or was replaced.
          RECOGNISED: { target: 'recognised', actions: 'assignRecognition' },
          GONE: { guard: 'isOwnGone', target: 'idle' },
          CANCEL: 'idle',
        },
      },
      punching: {
        invoke: {
          src: 'punch',
          input: ({ context }) => ({
            recognitionId: context.recognition?.recognitionId ?? '',
            action: context.action ?? 'clock_in',
            ...(context.reason ? { reason: context.reason } : {}),
          }),
          onDone: [
            {
              guard: ({ event }) => event.output.ok,
              target: 'confirmed',
              actions: assign(({ event }) => ({ result: event.output as PunchSuccess })),
            },
            {
              target: 'failed',
              actions: assign(({ event }) => {
                const output = event.output;
                return { failure: output.ok ? null : { code: output.error.code, message: output.error.message } };
              }),
            },
          ],
          onError: {
            target: 'failed',
            actions: assign(({ event }) => ({
              failure: { code: 'generic', message: messageOf(event.error) },
            })),
          },
        },
        after: {
          punchTimeout: {
            target: 'failed',
            actions: assign({ failure: { code: 'generic', message: 'The kiosk did not answer in time' } }),
          },
        },
        on: {
          STATUS: { actions: 'assignStatus' },
          // A punch already sent is finished; what happened meanwhile is dealt with after its result.
          GONE: [
            { guard: 'isOwnGone', actions: 'markGone' },
            { guard: 'isNextGone', actions: 'dropNext' },
          ],
          RECOGNISED: { actions: 'assignNext' },
        },
      },
      confirmed: {
        after: {
          handover: { guard: 'hasNext', target: 'recognised', actions: ['releasePunch', 'takeNext'] },
          confirm: { target: 'idle', actions: 'releasePunch' },
        },
        on: {
          DISMISS: [...RELEASE_THEN_NEXT_OR_IDLE],
          UNDO: { guard: 'canUndo', target: 'undoing' },
          GONE: { guard: 'isNextGone', actions: 'dropNext' },
          // The next person in the queue is greeted at once (or asked for the head turn first); the punch's undo window ends.
          RECOGNISED: { target: 'recognised', actions: ['releasePunch', 'assignRecognition'] },
          CHALLENGE: { target: 'challenge', actions: ['releasePunch', 'assignChallenge'] },
          LIVENESS_FAILED: { target: 'notConfirmed', actions: ['releasePunch', 'assignLivenessFailure'] },
        },
      },
      undoing: {
        invoke: {
          src: 'undo',
          input: ({ context }) => context.result?.eventId ?? '',
          onDone: [
            { guard: ({ event }) => event.output.ok, target: 'undone' },
            { target: 'confirmed', actions: assign({ undoRefused: true }) },
          ],
          onError: { target: 'confirmed', actions: assign({ undoRefused: true }) },
        },
        on: {
          GONE: { guard: 'isNextGone', actions: 'dropNext' },
          RECOGNISED: { actions: 'assignNext' },
        },
      },
      undone: {
        // The person is still there and chose wrongly: main looks at them afresh, so they are greeted again.
        entry: 'startAgain',
        after: { undone: 'idle' },
        on: {
          DISMISS: 'idle',
          RECOGNISED: { target: 'recognised', actions: 'assignRecognition' },
          UNKNOWN: { target: 'unknown', actions: 'assignUnknown' },
          ...NEXT_FACE_LIVENESS,
        },
      },
      failed: {
        after: { handover: { guard: 'hasNext', target: 'recognised', actions: 'takeNext' }, failed: 'idle' },
        on: {
          RETRY: [{ guard: 'recognitionUsable', target: 'recognised' }, ...NEXT_OR_IDLE],
          DISMISS: [...NEXT_OR_IDLE],
          GONE: [
            { guard: 'isOwnGone', target: 'idle' },
            { guard: 'isNextGone', actions: 'dropNext' },
          ],
          RECOGNISED: { target: 'recognised', actions: 'assignRecognition' },
          ...NEXT_FACE_LIVENESS,
        },
      },
      unknown: {
        after: { unknown: 'idle' },
        on: {
          RETRY: { target: 'idle', actions: 'startAgain' },
          GONE: 'idle',
          ADMIN: 'adminPin',
          MANUAL: 'manual',
          UNKNOWN: { target: 'unknown', reenter: true, actions: 'assignUnknown' },
          RECOGNISED: { target: 'recognised', actions: 'assignRecognition' },
          ...NEXT_FACE_LIVENESS,
        },
      },
      challenge: {
        // Main answers with the name, a failure or the face's end; this only guards against silence.
        after: { challenge: 'idle' },
        on: {
          OBSERVED: { actions: 'assignObservation' },
          CHALLENGE: { target: 'challenge', reenter: true, actions: 'assignChallenge' },
          RECOGNISED: { target: 'recognised', actions: 'assignRecognition' },
          LIVENESS_FAILED: { target: 'notConfirmed', actions: 'assignLivenessFailure' },
          UNKNOWN: { target: 'unknown', actions: 'assignUnknown' },
          GONE: 'idle',
        },
      },
      notConfirmed: {
        after: { unknown: 'idle' },
        on: {
          // A fresh decision about the face in view (and a new challenge); its failures stay counted in main.
          RETRY: { target: 'idle', actions: 'startAgain' },
          ADMIN: 'adminPin',
          // From the second failure: the person clocks with a manager's approval instead.
          MANUAL: { guard: 'managerFallback', target: 'manual' },
          GONE: 'idle',
          CHALLENGE: { target: 'challenge', actions: 'assignChallenge' },
          LIVENESS_FAILED: { target: 'notConfirmed', reenter: true, actions: 'assignLivenessFailure' },
          RECOGNISED: { target: 'recognised', actions: 'assignRecognition' },
        },
      },
      adminPin: {
        entry: 'clearPerson',
        after: { pin: 'idle' },
        on: {
          UNLOCKED: 'admin',
          CANCEL: 'idle',
          ACTIVITY: { target: 'adminPin', reenter: true },
        },
      },
      // "Clock without face": faces seen or recognised meanwhile wait (the flow itself offers a recognised
      // manager to approve); the PIN approval may have opened
      // the admin area (to enrol the person next), so leaving any other way locks it again.
      manual: {
        entry: 'clearPerson',
        after: { manual: { target: 'idle', actions: 'lockAdmin' } },
        on: {
          MANUAL_DONE: { target: 'idle', actions: 'lockAdmin' },
          ENROL: { target: 'admin', actions: 'assignEnrol' },
          // Only the PIN opens the admin area: after a face approval, enrolment goes through the PIN screen.
          ENROL_WITH_PIN: { target: 'adminPin', actions: 'assignEnrol' },
          ACTIVITY: { target: 'manual', reenter: true },
        },
      },
      admin: {
        entry: 'clearPerson',
        after: { admin: { target: 'idle', actions: 'lockAdmin' } },
        on: {
          LOCK: { target: 'idle', actions: 'lockAdmin' },
          ACTIVITY: { target: 'admin', reenter: true },
        },
      },
    },
  });
}

export type KioskMachine = ReturnType<typeof createKioskMachine>;
