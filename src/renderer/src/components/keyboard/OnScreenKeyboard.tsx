/**
 * The kiosk's own on-screen keyboard: nobody needs a physical keyboard for setup, a reason, a PIN
 * or a search. Real buttons with names (screen readers, Tab order after the field), big touch
 * targets, the Polish and Spanish letters on every page, and the symbols a web address or an
 * e-mail needs; a numeric pad for PINs. Pressing a key never takes the focus from the field.
 */
import { useState, type MouseEvent, type ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n';
import {
  ACCENT_ROW,
  afterCharacter,
  DIGIT_ROW,
  LETTER_ROWS,
  MODE_KEYS,
  nextShift,
  NUMERIC_ROWS,
  shifted,
  SYMBOL_ROWS,
  type KeyAction,
  type KeyboardMode,
  type KeyboardPage,
  type ShiftState,
} from './keyboard-layout';
import './keyboard.css';

export interface OnScreenKeyboardProps {
  mode: KeyboardMode;
  onAction: (action: KeyAction) => void;
  /** Offers a "Hide keyboard" key when given. */
  onHide?: () => void;
  /** The Enter key's text ("Next", "Sign in"); "Enter" by default. Numeric pads have no Enter key. */
  enterLabel?: string;
  disabled?: boolean;
  id?: string;
}

/** A pressed key must not move the focus out of the field it types into. */
const keepFocus = (event: MouseEvent): void => event.preventDefault();

export function OnScreenKeyboard(props: OnScreenKeyboardProps): ReactNode {
  const { t } = useI18n();
  const [page, setPage] = useState<KeyboardPage>('letters');
  const [shift, setShift] = useState<ShiftState>('off');
  const { onAction, disabled } = props;

  const key = (options: { label: string; onPress: () => void; wide?: boolean; className?: string; pressed?: boolean; name?: string }): ReactNode => (
    <button
      key={options.name ?? options.label}
      type="button"
      className={`osk__key ${options.wide ? 'osk__key--wide' : ''} ${options.className ?? ''}`}
      disabled={disabled}
      aria-pressed={options.pressed}
      onMouseDown={keepFocus}
      onClick={options.onPress}
    >
      {options.label}
    </button>
  );
  const character = (char: string): ReactNode => {
    const text = page === 'letters' ? shifted(char, shift) : char;
    return key({
      label: text,
      name: `char-${char}`,
      onPress: () => {
        onAction({ type: 'insert', text });
        setShift(afterCharacter);
      },
    });
  };
  const backspace = key({ label: t('kb.backspace'), name: 'backspace', wide: true, className: 'osk__key--action', onPress: () => onAction({ type: 'backspace' }) });

  if (props.mode === 'numeric') {
    return (
      <div className="osk osk--numeric" role="group" aria-label={t('kb.label')} id={props.id} data-testid="keyboard">
        {NUMERIC_ROWS.flat().map((name) =>
          name === 'clear'
            ? key({ label: t('kb.clear'), name, className: 'osk__key--action', onPress: () => onAction({ type: 'clear' }) })
            : name === 'backspace'
              ? key({ label: t('kb.backspace'), name, className: 'osk__key--action', onPress: () => onAction({ type: 'backspace' }) })
              : key({ label: name, onPress: () => onAction({ type: 'insert', text: name }) }),
        )}
      </div>
    );
  }

  const bottom = (
    <div className="osk__row">
      {page === 'letters'
        ? key({ label: t('kb.symbols'), name: 'symbols', wide: true, className: 'osk__key--action', onPress: () => setPage('symbols') })
        : key({ label: t('kb.letters'), name: 'letters', wide: true, className: 'osk__key--action', onPress: () => setPage('letters') })}
      {page === 'letters' && MODE_KEYS[props.mode].map(character)}
      {key({ label: t('kb.space'), name: 'space', className: 'osk__key--space', onPress: () => onAction({ type: 'insert', text: ' ' }) })}
      {key({ label: props.enterLabel ?? t('kb.enter'), name: 'enter', wide: true, className: 'osk__key--enter', onPress: () => onAction({ type: 'enter' }) })}
      {props.onHide && key({ label: t('kb.hide'), name: 'hide', wide: true, className: 'osk__key--action', onPress: props.onHide })}
    </div>
  );

  return (
    <div className={`osk osk--${props.mode}`} role="group" aria-label={t('kb.label')} id={props.id} data-testid="keyboard">
      <div className="osk__row">{DIGIT_ROW.map(character)}</div>
      {page === 'letters' ? (
        <>
          <div className="osk__row">{LETTER_ROWS[0]?.map(character)}</div>
          <div className="osk__row">{LETTER_ROWS[1]?.map(character)}</div>
          <div className="osk__row">
            {key({
              label: t('kb.shift'),
              name: 'shift',
              wide: true,
              className: `osk__key--action ${shift === 'locked' ? 'is-locked' : ''}`,
              pressed: shift !== 'off',
              onPress: () => setShift(nextShift),
            })}
            {LETTER_ROWS[2]?.map(character)}
            {backspace}
          </div>
          <div className="osk__row osk__row--accents">{ACCENT_ROW.map(character)}</div>
        </>
      ) : (
        <>
          <div className="osk__row">{SYMBOL_ROWS[0]?.map(character)}</div>
          <div className="osk__row">{SYMBOL_ROWS[1]?.map(character)}</div>
          <div className="osk__row">
            {SYMBOL_ROWS[2]?.map(character)}
            {backspace}
          </div>
        </>
      )}
      {bottom}
    </div>
  );
}
