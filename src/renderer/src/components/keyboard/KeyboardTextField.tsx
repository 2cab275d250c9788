/**
 * A labelled text field with the on-screen keyboard under it: the keyboard opens when the field is
 * touched or focused and closes when the focus leaves the field and its keys (or on "Hide"). A
 * physical keyboard keeps working; the operating system's own touch keyboard is not invoked
 * (`inputmode="none"`), so the two never cover each other.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type FocusEvent, type ReactNode } from 'react';

/**
 * How long the keyboard stays after the focus left: a tap on a button below it (Next, Save) blurs
 * the field on touch-down; closing at once would move that button away before the tap ends, and
 * the tap would land elsewhere.
 */
export const CLOSE_DELAY_MS = 300;

/** Closes the keyboard open under another field: only one keyboard at a time, so keys go where the focus is. */
let openKeyboardOwner: { close: () => void } | null = null;
import { applyKey, type KeyAction, type KeyboardMode } from './keyboard-layout';
import { OnScreenKeyboard } from './OnScreenKeyboard';

export interface KeyboardTextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Which keys to offer (default: text). */
  mode?: KeyboardMode;
  /** `password` hides what is typed. */
  secret?: boolean;
  /** Plain-language problem with the value, announced with the field. */
  error?: string | null;
  /** A short hint shown under the label (what to type). */
  hint?: string | null;
  maxLength?: number;
  /** Cleans a typed or pasted value (e.g. digits only) before `onChange`. */
  normalise?: (value: string) => string;
  /** The Enter key: submit or go on; without it Enter closes the keyboard. */
  onEnter?: () => void;
  enterLabel?: string;
  autoComplete?: string;
  autoFocus?: boolean;
  disabled?: boolean;
  /** Extra class on the wrapper (`field` is always there). */
  className?: string;
  inputClassName?: string;
  /** Any key or typing counts as activity (keeps a screen from timing out). */
  onActivity?: () => void;
  testId?: string;
}

export function KeyboardTextField(props: KeyboardTextFieldProps): ReactNode {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const input = useRef<HTMLInputElement | null>(null);
  const wrapper = useRef<HTMLDivElement | null>(null);
  const keyboard = useRef<HTMLDivElement | null>(null);
  const [open, setOpen] = useState(false);
  const closing = useRef<ReturnType<typeof setTimeout> | null>(null);
  const cancelClose = (): void => {
    if (closing.current !== null) clearTimeout(closing.current);
    closing.current = null;
  };
  useEffect(() => cancelClose, []);
  /** Where the caret goes after the next render (set by a key press). */
  const pendingCaret = useRef<number | null>(null);
  const mode = props.mode ?? 'text';
  const normalise = props.normalise ?? ((v: string) => v);

  useLayoutEffect(() => {
    const caret = pendingCaret.current;
    const el = input.current;
    if (caret === null || !el) return;
    pendingCaret.current = null;
    if (document.activeElement === el) el.setSelectionRange(caret, caret);
  });

  useLayoutEffect(() => {
    // The keyboard may open below the fold on a small screen: bring it into view.
    if (open && typeof keyboard.current?.scrollIntoView === 'function') keyboard.current.scrollIntoView({ block: 'nearest' });
  }, [open]);

  const onKey = (action: KeyAction): void => {
    props.onActivity?.();
    if (action.type === 'enter') {
      if (props.onEnter) props.onEnter();
      else setOpen(false);
      return;
    }
    const el = input.current;
    const focused = el !== null && document.activeElement === el;
    const selection = focused
      ? { start: el.selectionStart ?? props.value.length, end: el.selectionEnd ?? props.value.length }
      : { start: props.value.length, end: props.value.length };
    const next = applyKey(props.value, selection, action, props.maxLength);
    const cleaned = normalise(next.value);
    pendingCaret.current = cleaned === next.value ? next.caret : cleaned.length;
    props.onChange(cleaned);
  };

  const onBlur = (event: FocusEvent<HTMLDivElement>): void => {
    const to = event.relatedTarget;
    if (to instanceof Node && wrapper.current?.contains(to)) return;
    cancelClose();
    closing.current = setTimeout(() => {
      closing.current = null;
      if (!wrapper.current?.contains(document.activeElement)) setOpen(false);
    }, CLOSE_DELAY_MS);
  };
  // This field's handle in the one-keyboard-at-a-time registry (same object for the field's life).
  const [owner] = useState(() => ({ close: () => undefined as void }));
  owner.close = () => {
    cancelClose();
    setOpen(false);
  };
  useEffect(
    () => () => {
      if (openKeyboardOwner === owner) openKeyboardOwner = null;
    },
    [owner],
  );
  const openKeyboard = (): void => {
    cancelClose();
    if (props.disabled) return;
    if (openKeyboardOwner && openKeyboardOwner !== owner) openKeyboardOwner.close();
    openKeyboardOwner = owner;
    setOpen(true);
  };

  const describedBy = [props.hint ? hintId : null, props.error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div ref={wrapper} className={`field ${props.className ?? ''}`} onFocus={openKeyboard} onBlur={onBlur} data-testid={props.testId}>
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <span id={hintId} className="field__hint">
          {props.hint}
        </span>
      )}
      <input
        ref={input}
        id={id}
        className={props.inputClassName}
        type={props.secret ? 'password' : 'text'}
        inputMode="none"
        value={props.value}
        maxLength={props.maxLength}
        autoComplete={props.autoComplete ?? 'off'}
        autoCapitalize="off"
        autoCorrect="off"
        spellCheck={false}
        autoFocus={props.autoFocus}
        disabled={props.disabled}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy}
        onPointerDown={openKeyboard}
        onChange={(e) => {
          props.onActivity?.();
          props.onChange(normalise(e.target.value));
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && props.onEnter) {
            e.preventDefault();
            props.onEnter();
          }
        }}
      />
      {props.error && (
        <span id={errorId} className="field__error">
          {props.error}
        </span>
      )}
      {open && !props.disabled && (
        <div ref={keyboard}>
          <OnScreenKeyboard mode={mode} onAction={onKey} onHide={() => setOpen(false)} enterLabel={props.enterLabel} />
        </div>
      )}
    </div>
  );
}
