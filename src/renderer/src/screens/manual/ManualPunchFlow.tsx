/**
 * "Clock without face": for someone the camera cannot clock (not recognised, not enrolled, camera
 * down). The person finds their name (search with the on-screen keyboard), sees the action their
 * status allows (re-read from HotelMate as for a greeting), the manager adds an optional note and
 * approves with the manager PIN, or by looking at the camera: when main says the face it
 * recognised may approve (a manager, not the person being clocked), "Approve as <name>" approves in
 * one tap. The punch is saved before the confirmation shows. For someone the kiosk has no face of,
 * the confirmation offers to enrol them at once (the PIN opened the admin area for it; after a
 * face approval "Enrol now" asks for the PIN first).
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { clockButtonInfo } from '../../../../shared/domain/duty-status';
import type { StaffListEntry } from '../../../../shared/domain/enrolment';
import { MANUAL_NOTE_MAX, type ManualApproverErrorCode, type ManualPunchRequest, type ManualPunchResult } from '../../../../shared/domain/manual-punch';
import type { Result } from '../../../../shared/domain/result';
import { isHeldForUndo } from '../../../../shared/domain/punch';
import type { ClockAction, EffectiveStatus } from '../../../../shared/domain/types';
import { reportError, useKiosk, useKioskEvent } from '../../api';
import { filterStaff } from '../../admin/StaffPanel';
import { KeyboardTextField } from '../../components/keyboard';
import { punchFailureKey } from '../../i18n/codes';
import { useI18n } from '../../i18n/i18n';
import { ConfirmedScreen } from '../OutcomeScreens';
import { PinPad } from '../PinScreen';

/** How many matching names the list shows before asking for more letters. */
export const MANUAL_LIST_LIMIT = 8;

export interface ManualPunchFlowProps {
  /** Leaves the flow (cancel, done, or after a failure). */
  onClose: () => void;
  /** "Enrol now": the admin area's enrolment for this person (open: the PIN approved the punch). */
  onEnrol: (staffId: number) => void;
  /** "Enrol now" after a manager's face approved: the manager PIN first, then the enrolment. */
  onEnrolWithPin: (staffId: number) => void;
  /** Any touch or key counts as activity (keeps the flow from timing out). */
  onActivity: () => void;
  /** Play the chime on the confirmation (config ui.sound). */
  sound: boolean;
}

type Step =
  | { kind: 'pick' }
  | { kind: 'action'; person: StaffListEntry; status: EffectiveStatus | null }
  | { kind: 'note'; person: StaffListEntry; action: ClockAction }
  | { kind: 'pin'; person: StaffListEntry; action: ClockAction; note: string }
  | { kind: 'done'; person: StaffListEntry; result: Extract<ManualPunchResult, { ok: true }> }
  | { kind: 'failed'; code: string };

type PinCheck = Result<object, 'wrong_pin' | 'locked_out' | 'no_pin'>;
const PIN_CODES = new Set(['wrong_pin', 'locked_out', 'no_pin']);

/** A face the camera recognised during the flow (the latest one, until its face leaves). */
interface SeenFace {
  recognitionId: string;
  name: string;
}

/** What the approval step says about the face in view: "Approve as <name>", or why that face cannot approve. */
type FaceApprover = { kind: 'approver'; recognitionId: string; name: string } | { kind: 'refused'; code: ManualApproverErrorCode; name: string };

const APPROVER_REFUSAL_KEYS = {
  approver_not_in_view: 'manual.approverGone',
  approval_used: 'manual.approverUsed',
  not_an_approver: 'manual.approverNotManager',
  self_approval: 'manual.approverSelf',
  approver_not_live: 'manual.approverNotLive',
} as const satisfies Record<ManualApproverErrorCode, string>;
const APPROVER_CODES = new Set<string>(Object.keys(APPROVER_REFUSAL_KEYS));
const isApproverCode = (code: string): code is ManualApproverErrorCode => APPROVER_CODES.has(code);

export function ManualPunchFlow(props: ManualPunchFlowProps): ReactNode {
  const api = useKiosk();
  const { t } = useI18n();
  const [staff, setStaff] = useState<StaffListEntry[] | null>(null);
  const [attempt, setAttempt] = useState<{ attemptId: string; faceSeen: boolean } | null>(null);
  const [query, setQuery] = useState('');
  const [note, setNote] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'pick' });
  const [seen, setSeen] = useState<SeenFace | null>(null);
  const [faceApprover, setFaceApprover] = useState<FaceApprover | null>(null);

  // A face recognised at any point of the flow may approve at the approval step, while it stays in view.
  useKioskEvent('face:recognised', (recognition) => setSeen({ recognitionId: recognition.recognitionId, name: recognition.staff.name }));
  useKioskEvent('face:gone', (gone) => setSeen((current) => (current && gone.recognitionId === current.recognitionId ? null : current)));

  // At the approval step main says whether that face may approve this punch (it checks again at the tap).
  const clockedId = step.kind === 'pin' ? step.person.id : null;
  useEffect(() => {
    setFaceApprover(null);
    if (clockedId === null || !seen) return;
    let live = true;
    api.invoke('manual:approver', seen.recognitionId, clockedId).then(
      (check) => {
        if (!live) return;
        setFaceApprover(check.ok ? { kind: 'approver', recognitionId: seen.recognitionId, name: check.name } : { kind: 'refused', code: check.error.code, name: seen.name });
      },
      (error: unknown) => reportError(api, 'manual:approver failed', error),
    );
    return () => {
      live = false;
    };
  }, [api, seen, clockedId]);

  useEffect(() => {
    let live = true;
    // The face in view when "Clock without face" was tapped is kept in main for this attempt.
    api.invoke('manual:begin').then(
      (begun) => live && setAttempt(begun),
      (error: unknown) => reportError(api, 'manual:begin failed', error),
    );
    api.invoke('manual:staff').then(
      (list) => live && setStaff(list),
      (error: unknown) => {
        reportError(api, 'manual:staff failed', error);
        if (live) setStaff([]);
      },
    );
    return () => {
      live = false;
    };
  }, [api]);

  const choose = (person: StaffListEntry): void => {
    setStep({ kind: 'action', person, status: null });
    api.invoke('manual:status', person.id).then(
      (status) => setStep((current) => (current.kind === 'action' && current.person.id === person.id ? { ...current, status } : current)),
      (error: unknown) => {
        reportError(api, 'manual:status failed', error);
        setStep({ kind: 'failed', code: 'generic' });
      },
    );
  };

  /**
   * The punch itself, approved by the PIN or a manager's recognition. The PIN's refusals stay on the
   * pad (returned), a face's refusal stays on the approval step; anything else ends the flow.
   */
  const submit = async (person: StaffListEntry, action: ClockAction, text: string, approval: { pin: string } | { approverRecognitionId: string }): Promise<PinCheck> => {
    const trimmed = text.trim();
    const request: ManualPunchRequest = {
      staffId: person.id,
      action,
      ...approval,
      ...(attempt ? { attemptId: attempt.attemptId } : {}),
      ...(trimmed ? { note: trimmed } : {}),
    };
    try {
      const result = await api.invoke('manual:punch', request);
      if (result.ok) setStep({ kind: 'done', person, result });
      else if (PIN_CODES.has(result.error.code)) return result as PinCheck;
      else if (isApproverCode(result.error.code)) setFaceApprover({ kind: 'refused', code: result.error.code, name: seen?.name ?? '' });
      else setStep({ kind: 'failed', code: result.error.code });
    } catch (error) {
      reportError(api, 'manual:punch failed', error);
      setStep({ kind: 'failed', code: 'generic' });
    }
    return { ok: true };
  };

  if (step.kind === 'done')
    return (
      <ConfirmedScreen
        result={step.result}
        name={step.person.name}
        sound={props.sound}
        onDone={() => {
          // Leaving the confirmation ends the punch's undo hold at once, as on the face punch's screen.
          if (isHeldForUndo(step.result)) {
            api.invoke('clock:release', step.result.eventId).catch((error: unknown) => reportError(api, 'clock:release failed', error));
          }
          props.onClose();
        }}
      >
        {(step.result.offerEnrol || step.result.enrolNeedsPin) && (
          <div className="manual__enrol" data-testid="manual-enrol-offer">
            <p>{t(step.result.offerEnrol ? 'manual.enrolHint' : 'manual.enrolNeedsPin', { name: step.person.name })}</p>
            <button
              type="button"
              className="btn btn--large btn--primary"
              onClick={() => (step.result.offerEnrol ? props.onEnrol(step.person.id) : props.onEnrolWithPin(step.person.id))}
            >
              {t('manual.enrolNow')}
            </button>
          </div>
        )}
      </ConfirmedScreen>
    );

  return (
    <main className="screen manual" data-testid="manual" onPointerDown={props.onActivity} onKeyDown={props.onActivity}>
      <div className="card">
        {step.kind === 'pick' && (
          <PickName staff={staff} query={query} onQuery={setQuery} onPick={choose} onActivity={props.onActivity} />
        )}
        {step.kind === 'action' && (
          <ChooseAction
            person={step.person}
            status={step.status}
            onChoose={(action) => setStep({ kind: 'note', person: step.person, action })}
          />
        )}
        {step.kind === 'note' && (
          <section aria-labelledby="manual-note-title">
            <h1 id="manual-note-title">{t('manual.noteTitle')}</h1>
            <KeyboardTextField
              label={t('manual.noteLabel')}
              hint={t('manual.noteHint')}
              value={note}
              onChange={setNote}
              maxLength={MANUAL_NOTE_MAX}
              onActivity={props.onActivity}
              onEnter={() => setStep({ ...step, kind: 'pin', note })}
              enterLabel={t('manual.next')}
              testId="manual-note"
            />
            <button type="button" className="btn btn--large btn--primary" onClick={() => setStep({ ...step, kind: 'pin', note })}>
              {t('manual.next')}
            </button>
          </section>
        )}
        {step.kind === 'pin' && (
          <section aria-labelledby="manual-pin-title">
            <h1 id="manual-pin-title">{t('manual.approveTitle')}</h1>
            <p className="lead">{t('manual.approveFor', { action: t(`action.${step.action}`), name: step.person.name })}</p>
            {attempt?.faceSeen && <p>{t('manual.faceSeen')}</p>}
            <FaceApproval approver={faceApprover} onApprove={(recognitionId) => void submit(step.person, step.action, step.note, { approverRecognitionId: recognitionId })} />
            <PinPad
              verify={(pin) => submit(step.person, step.action, step.note, { pin })}
              submitLabel={t('manual.approve')}
              onUnlocked={() => undefined}
              onActivity={props.onActivity}
            />
          </section>
        )}
        {step.kind === 'failed' && (
          <section aria-labelledby="manual-failed-title" data-testid="manual-failed">
            <h1 id="manual-failed-title">{t('manual.failedTitle')}</h1>
            <p className="lead" role="alert">
              {step.code === 'unknown_staff' ? t('manual.unknownStaff') : t(punchFailureKey(step.code))}
            </p>
          </section>
        )}
        <div className="row">
          {(step.kind === 'action' || step.kind === 'note' || step.kind === 'pin') && (
            <button type="button" className="btn btn--secondary" onClick={() => setStep({ kind: 'pick' })}>
              {t('manual.back')}
            </button>
          )}
          <button type="button" className="btn btn--secondary" onClick={props.onClose}>
            {t('manual.cancel')}
          </button>
        </div>
      </div>
    </main>
  );
}

/** "A manager may look at the camera", then "Approve as <name>" for a manager in view, or why the face in view cannot approve. */
function FaceApproval(props: { approver: FaceApprover | null; onApprove: (recognitionId: string) => void }): ReactNode {
  const { t } = useI18n();
  const { approver } = props;
  return (
    <div className="manual__face-approval" data-testid="manual-face-approval">
      <p>{t('manual.faceApproveHint')}</p>
      <div role="status" aria-live="polite">
        {approver?.kind === 'approver' && (
          <button type="button" className="btn btn--large btn--primary" data-testid="manual-approve-as" onClick={() => props.onApprove(approver.recognitionId)}>
            {t('manual.approveAs', { name: approver.name })}
          </button>
        )}
        {approver?.kind === 'refused' && (
          <p className="manual__approver-refused" data-testid="manual-approver-refused">
            {t(APPROVER_REFUSAL_KEYS[approver.code], { name: approver.name })}
          </p>
        )}
      </div>
    </div>
  );
}

/** The search field with the on-screen keyboard, and the matching names as buttons. */
function PickName(props: {
  staff: StaffListEntry[] | null;
  query: string;
  onQuery: (query: string) => void;
  onPick: (person: StaffListEntry) => void;
  onActivity: () => void;
}): ReactNode {
  const { t } = useI18n();
  const matches = useMemo(() => (props.staff ? filterStaff(props.staff, props.query) : []), [props.staff, props.query]);
  const shown = matches.slice(0, MANUAL_LIST_LIMIT);
  return (
    <section aria-labelledby="manual-pick-title">
      <h1 id="manual-pick-title">{t('manual.pickTitle')}</h1>
      {props.staff === null ? (
        <p aria-busy="true">{t('manual.loading')}</p>
      ) : props.staff.length === 0 ? (
        <p role="alert">{t('manual.noStaff')}</p>
      ) : (
        <>
          <KeyboardTextField
            label={t('manual.search')}
            hint={t('manual.searchHint')}
            value={props.query}
            onChange={props.onQuery}
            onActivity={props.onActivity}
            autoFocus
            testId="manual-search"
          />
          <ul className="manual__people" aria-label={t('manual.people')} data-testid="manual-people">
            {shown.map((person) => (
              <li key={person.id}>
                <button type="button" className="btn btn--option" onClick={() => props.onPick(person)}>
                  {person.name}
                  {person.department ? <span className="manual__dept"> · {person.department}</span> : null}
                </button>
              </li>
            ))}
          </ul>
          {matches.length === 0 && <p role="status">{t('manual.noMatch')}</p>}
          {matches.length > shown.length && <p role="status">{t('manual.narrow')}</p>}
        </>
      )}
    </section>
  );
}

/** The person's status (re-read) and the actions it allows, as the greeting offers them. */
function ChooseAction(props: { person: StaffListEntry; status: EffectiveStatus | null; onChoose: (action: ClockAction) => void }): ReactNode {
  const { t } = useI18n();
  if (!props.status) return <p aria-busy="true">{t('manual.loading')}</p>;
  const buttons = clockButtonInfo(props.status.status, props.status.breakStartedAt, new Date());
  const actions = [buttons.primary.action, ...(buttons.secondary ? [buttons.secondary.action] : [])];
  return (
    <section aria-labelledby="manual-action-title">
      <h1 id="manual-action-title">{t('manual.chooseTitle', { name: props.person.name })}</h1>
      <p className="lead" data-testid="manual-status">
        {t(`status.${props.status.status}`)}
      </p>
      <div className="row">
        {actions.map((action, index) => (
          <button
            key={action}
            type="button"
            className={`btn btn--large ${index === 0 ? 'btn--primary' : 'btn--secondary'}`}
            data-testid={`manual-action-${action}`}
            onClick={() => props.onChoose(action)}
          >
            {t(`action.${action}`)}
          </button>
        ))}
      </div>
    </section>
  );
}
