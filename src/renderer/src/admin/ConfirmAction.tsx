/**
 * A button that asks before it acts, inline (no browser dialog on a kiosk): the question, then
 * "yes" or "cancel". Used for the manager actions that send or drop work on its way to HotelMate.
 */
import { useState, type ReactNode } from 'react';

export interface ConfirmActionProps {
  /** The button's text, and its accessible name with `subject`. */
  label: string;
  /** Who or what the action is about, for the accessible name (e.g. the person's name). */
  subject: string;
  /** The question asked before acting. */
  question: string;
  yes: string;
  no: string;
  danger?: boolean;
  testId: string;
  onConfirm: () => void;
}

export function ConfirmAction(props: ConfirmActionProps): ReactNode {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" className="btn btn--small" aria-label={`${props.label}: ${props.subject}`} data-testid={props.testId} onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  return (
    <span className="row row--tight" role="group" aria-label={props.question}>
      <span>{props.question}</span>
      <button
        type="button"
        className={`btn btn--small${props.danger ? ' btn--danger' : ''}`}
        data-testid={`${props.testId}-yes`}
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        {props.yes}
      </button>
      <button type="button" className="btn btn--small" onClick={() => setAsking(false)}>
        {props.no}
      </button>
    </span>
  );
}
