/**
 * Manager PIN entry (the on-screen number pad, or a physical keyboard). Shows attempts left after a
 * wrong PIN and, after too many, the lock-out until the time main reports (each further wrong PIN
 * locks out longer); never unlocks anything itself. Accepts the 4- and 5-digit PINs of older kiosks
 * (main then asks the manager to set a 6-digit one).
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { type AdminStatus, MAX_PIN_DIGITS, MIN_LEGACY_PIN_DIGITS } from '../../../shared/domain/admin';
import type { Result } from '../../../shared/domain/result';
import { reportError, useKiosk, useKioskEvent } from '../api';
import { applyKey, OnScreenKeyboard, type KeyAction } from '../components/keyboard';
import { useI18n } from '../i18n/i18n';

export interface PinPadProps {
  onUnlocked: () => void;
  onCancel?: () => void;
  /** Any key press counts as activity (keeps the PIN screen open). */
  onActivity?: () => void;
  now?: () => number;
  /**
   * Checks the PIN another way than unlocking the admin area (a manager approving a punch on the
   * spot); default `admin:unlock`. Only the PIN's own refusals come back as errors.
   */
  verify?: (pin: string) => Promise<Result<object, 'wrong_pin' | 'locked_out' | 'no_pin'>>;
  /** The submit button's label (default "Unlock"). */
  submitLabel?: string;
}

/** The PIN form; resolves the unlock through `admin:unlock`. */
export function PinPad(props: PinPadProps): ReactNode {
  const api = useKiosk();
  const { t, formatTime } = useI18n();
  const now = props.now ?? Date.now;
  const [pin, setPin] = useState('');
  const [status, setStatus] = useState<AdminStatus | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    api.get('admin:status').then(
      (s) => live && setStatus(s),
      (error: unknown) => reportError(api, 'admin:status failed', error),
    );
    return () => {
      live = false;
    };
  }, [api]);
  useKioskEvent('admin:status', setStatus);

  const lockedUntilMs = status?.lockedUntil ? Date.parse(status.lockedUntil) : 0;
  const locked = lockedUntilMs > now();
  useEffect(() => {
    if (!locked) return;
    // Re-render when the lock-out ends so the keypad comes back by itself.
    const timer = setTimeout(() => setTick((n) => n + 1), Math.max(0, lockedUntilMs - now()) + 50);
    return () => clearTimeout(timer);
  }, [locked, lockedUntilMs, now]);

  const press = (action: KeyAction): void => {
    props.onActivity?.();
    if (action.type === 'enter') return;
    setMessage(null);
    setPin((p) => applyKey(p, { start: p.length, end: p.length }, action, MAX_PIN_DIGITS).value);
  };

  const unlock = async (entered: string): Promise<Result<object, 'wrong_pin' | 'locked_out' | 'no_pin'>> => {
    const result = await api.invoke('admin:unlock', entered);
    if (result.ok) setStatus(result.status);
    return result;
  };

  const submit = async (event?: FormEvent): Promise<void> => {
    event?.preventDefault();
    if (busy || locked || pin.length < MIN_LEGACY_PIN_DIGITS) return;
    setBusy(true);
    try {
      const result = props.verify ? await props.verify(pin) : await unlock(pin);
      setPin('');
      if (result.ok) {
        props.onUnlocked();
        return;
      }
      const fresh = await api.get('admin:status').catch(() => null);
      if (fresh) setStatus(fresh);
      if (result.error.code === 'locked_out' || (fresh?.lockedUntil && Date.parse(fresh.lockedUntil) > now())) setMessage(null);
      else if (result.error.code === 'no_pin') setMessage(t('pin.noPin'));
      else setMessage(fresh ? t('pin.wrong', { n: fresh.attemptsLeft }) : t('pin.wrongNoCount'));
    } catch (error) {
      reportError(api, 'admin:unlock failed', error);
      setMessage(t('pin.error'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="pin" onSubmit={(e) => void submit(e)} aria-label={t('pin.title')}>
      <label className="field">
        <span>{t('pin.label')}</span>
        <input
          className="pin__input"
          type="password"
          inputMode="none"
          autoComplete="off"
          autoFocus
          maxLength={MAX_PIN_DIGITS}
          value={pin}
          disabled={locked}
          onChange={(e) => {
            props.onActivity?.();
            setMessage(null);
            setPin(e.target.value.replace(/\D/g, '').slice(0, MAX_PIN_DIGITS));
          }}
        />
      </label>
      {locked && (
        <p className="pin__msg pin__msg--bad" role="alert" data-testid="pin-locked">
          {t('pin.locked', { time: formatTime(lockedUntilMs, true) })}
        </p>
      )}
      {message && !locked && (
        <p className="pin__msg pin__msg--bad" role="alert" data-testid="pin-message">
          {message}
        </p>
      )}
      <OnScreenKeyboard mode="numeric" onAction={press} disabled={locked} />
      <div className="row">
        {props.onCancel && (
          <button type="button" className="btn btn--large btn--secondary" onClick={props.onCancel}>
            {t('pin.cancel')}
          </button>
        )}
        <button type="submit" className="btn btn--large btn--primary" disabled={locked || busy || pin.length < MIN_LEGACY_PIN_DIGITS}>
          {props.submitLabel ?? t('pin.submit')}
        </button>
      </div>
    </form>
  );
}

export function PinScreen(props: PinPadProps): ReactNode {
  const { t } = useI18n();
  return (
    <main className="screen screen--center" data-testid="admin-pin">
      <div className="card card--narrow">
        <h1>{t('pin.title')}</h1>
        <PinPad {...props} />
      </div>
    </main>
  );
}
