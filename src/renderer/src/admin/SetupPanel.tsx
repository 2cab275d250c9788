/**
 * Kiosk setup: hotel and API, signing in with the kiosk account (main stores the token), the
 * hotel's time zone, Pusher, the camera with a live preview, default language and board, the
 * liveness mode and the audit snapshots; or the
 * same one question at a time in the setup wizard. Saved through `config:update`; its field
 * errors (and values checked here before sending) are shown as plain sentences next to the
 * fields. Every text field brings up the on-screen keyboard.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { Language } from '../../../shared/domain/types';
import { LANGUAGES } from '../../../shared/domain/types';
import type { ConfigFieldError, PublicConfig } from '../../../shared/domain/admin';
import { HOTEL_SLUG_PATTERN } from '../../../shared/domain/setup';
import { LIVENESS_MODES, type LivenessMode } from '../../../shared/config/schema';
import { reportError, useKiosk, useLiveValue } from '../api';
import { CameraPreview } from '../components/CameraPreview';
import { KeyboardTextField } from '../components/keyboard';
import { requestFailureKey, setupFieldOf, setupFieldText, type SetupField } from '../i18n/codes';
import { translate, useI18n, type PlainKey } from '../i18n/i18n';
import { CameraPicker } from './CameraPicker';
import { isKnownTimeZone, TimeZonePicker } from './TimeZonePicker';
import { SetupWizard } from './wizard/SetupWizard';
import { isWebAddress, newPinProblem, pinDigits, signInFailureKey } from './wizard/wizard-logic';

/** Slug and API address problems found here; `required` when signing in (both must be filled). */
export function checkHotelFields(config: PublicConfig, required: boolean): ConfigFieldError[] {
  const problems: ConfigFieldError[] = [];
  const { slug } = config.hotel;
  const url = config.api.baseUrl;
  if ((slug || required) && !HOTEL_SLUG_PATTERN.test(slug)) problems.push({ field: 'hotel.slug', message: 'invalid' });
  if ((url || required) && !isWebAddress(url)) problems.push({ field: 'api.baseUrl', message: 'invalid' });
  if (!isKnownTimeZone(config.hotel.timeZone)) problems.push({ field: 'hotel.timeZone', message: 'unknown' });
  return problems;
}

/** A rejected request names the bad argument ("Invalid 0.apiBaseUrl: ..."): turn that into a field error. */
function fieldErrorFromRejection(error: unknown): ConfigFieldError | null {
  const message = error instanceof Error ? error.message : String(error);
  const where = /Invalid ([\w.]+):/.exec(message)?.[1];
  return where && setupFieldOf(where) ? { field: where, message } : null;
}

/** Admin > Setup: the step-by-step wizard, or every setting on one page. */
export function SetupPanel(): ReactNode {
  const { t } = useI18n();
  const [wizard, setWizard] = useState(false);
  return (
    <div className="setup-panel">
      <div className="row">
        {wizard ? (
          <button type="button" className="btn btn--secondary" onClick={() => setWizard(false)}>
            {t('wizard.close')}
          </button>
        ) : (
          <button type="button" className="btn btn--primary" onClick={() => setWizard(true)} data-testid="open-wizard">
            {t('wizard.open')}
          </button>
        )}
      </div>
      {wizard ? <SetupWizard onFinish={() => setWizard(false)} finishLabel={t('wizard.close')} /> : <SetupForm />}
    </div>
  );
}

function SetupForm(): ReactNode {
  const api = useKiosk();
  const i18n = useI18n();
  const { t } = i18n;
  const [config, setConfig] = useState<PublicConfig | null>(null);
  const [errors, setErrors] = useState<ConfigFieldError[]>([]);
  /** Why the last save did not happen, in plain words (field problems are also shown at the field). */
  const [saveProblem, setSaveProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [loadError, setLoadError] = useState<PlainKey | null>(null);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [signIn, setSignIn] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const camera = useLiveValue('camera:status');

  useEffect(() => {
    let live = true;
    api.invoke('config:get').then(
      (c) => live && setConfig(c),
      (error: unknown) => {
        reportError(api, 'config:get failed', error);
        if (live) setLoadError(requestFailureKey(error));
      },
    );
    return () => {
      live = false;
    };
  }, [api]);

  if (loadError) return <p role="alert">{t(loadError)}</p>;
  if (!config) return <p>{t('admin.loading')}</p>;

  const fieldError = (field: SetupField): string | null =>
    errors.some((e) => setupFieldOf(e.field) === field) ? setupFieldText(i18n, field) : null;
  const zoneError = errors.some((e) => e.field === 'hotel.timeZone') ? t('setup.field.timeZone') : null;
  const update = (change: (c: PublicConfig) => PublicConfig): void => {
    setSaved(false);
    setSaveProblem(null);
    setConfig(change(config));
  };

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const problems = checkHotelFields(config, false);
    setErrors(problems);
    setSaveProblem(problems.length > 0 ? t('setup.err.notSaved') : null);
    if (problems.length > 0) return;
    setBusy(true);
    try {
      const result = await api.invoke('config:update', {
        hotel: { slug: config.hotel.slug, timeZone: config.hotel.timeZone },
        api: { baseUrl: config.api.baseUrl },
        pusher: { ...config.pusher },
        camera: { device: config.camera.device },
        ui: { language: config.ui.language, showBoard: config.ui.showBoard, sound: config.ui.sound, highContrast: config.ui.highContrast },
        recognition: { liveness: config.recognition.liveness, auditSnapshots: config.recognition.auditSnapshots },
      });
      if (result.ok) {
        setConfig(result.config);
        setErrors([]);
        setSaveProblem(null);
        setSaved(true);
      } else {
        setErrors(result.errors);
        // Errors of settings this form does not show get one plain sentence (main logs the detail).
        const unshown = result.errors.some((e) => setupFieldOf(e.field) === null && e.field !== 'hotel.timeZone');
        setSaveProblem(unshown ? `${t('setup.err.notSaved')} ${t('setup.field.other')}` : t('setup.err.notSaved'));
      }
    } catch (error) {
      reportError(api, 'config:update failed', error);
      const field = fieldErrorFromRejection(error);
      setErrors(field ? [field] : []);
      setSaveProblem(field ? t('setup.err.notSaved') : t(requestFailureKey(error)));
    } finally {
      setBusy(false);
    }
  };

  const doSignIn = async (): Promise<void> => {
    setSignIn(null);
    const problems = checkHotelFields(config, true).filter((e) => e.field !== 'hotel.timeZone');
    setErrors(problems);
    if (problems.length > 0) {
      setSignIn({ ok: false, text: t('setup.err.checkFields') });
      return;
    }
    setBusy(true);
    try {
      const result = await api.invoke('setup:signIn', {
        apiBaseUrl: config.api.baseUrl,
        hotelSlug: config.hotel.slug,
        username,
        password,
      });
      setPassword('');
      if (result.ok) {
        setSignIn({ ok: true, text: t('setup.signedIn', { account: result.accountName, hotel: result.hotelName }) });
        const fresh = await api.invoke('config:get').catch(() => null);
        if (fresh) setConfig(fresh);
      } else {
        // Main logs its own detail; the screen says what to check.
        setSignIn({ ok: false, text: t(signInFailureKey(result.error.code)) });
      }
    } catch (error) {
      reportError(api, 'setup:signIn failed', error);
      const field = fieldErrorFromRejection(error);
      if (field) setErrors([field]);
      setSignIn({ ok: false, text: t(field ? 'setup.err.checkFields' : requestFailureKey(error)) });
    } finally {
      setBusy(false);
    }
  };


  return (
    <form className="admin-form" onSubmit={(e) => void save(e)}>
      <fieldset>
        <legend>{t('setup.hotel')}</legend>
        <KeyboardTextField label={t('setup.slug')} value={config.hotel.slug} error={fieldError('slug')} mode="url"
          onChange={(v) => update((c) => ({ ...c, hotel: { ...c.hotel, slug: v.trim().toLowerCase() } }))} />
        <KeyboardTextField label={t('setup.apiUrl')} value={config.api.baseUrl} error={fieldError('baseUrl')} mode="url"
          onChange={(v) => update((c) => ({ ...c, api: { ...c.api, baseUrl: v.trim() } }))} />
        <div className="grid2">
          <KeyboardTextField label={t('setup.username')} value={username} onChange={setUsername} mode="email" autoComplete="username" />
          <KeyboardTextField label={t('setup.password')} value={password} onChange={setPassword} secret autoComplete="current-password" />
        </div>
        <button type="button" className="btn btn--primary" disabled={busy || !username || !password} onClick={() => void doSignIn()}>
          {t('setup.signIn')}
        </button>
        {signIn && (
          <p role={signIn.ok ? 'status' : 'alert'} className={signIn.ok ? 'msg msg--ok' : 'msg msg--bad'} data-testid="signin-result">
            {signIn.text}
          </p>
        )}
        {!signIn && config.api.hasToken && config.api.accountName && (
          <p className="msg msg--ok">{t('setup.signedIn', { account: config.api.accountName, hotel: config.hotel.name })}</p>
        )}
      </fieldset>

      <fieldset>
        <legend>{t('setup.timeZone')}</legend>
        <TimeZonePicker value={config.hotel.timeZone} error={zoneError}
          onChange={(zone) => update((c) => ({ ...c, hotel: { ...c.hotel, timeZone: zone } }))} />
      </fieldset>

      <fieldset>
        <legend>{t('setup.pusher')}</legend>
        <CheckField label={t('setup.pusherEnabled')} checked={config.pusher.enabled}
          onChange={(v) => update((c) => ({ ...c, pusher: { ...c.pusher, enabled: v } }))} />
        <div className="grid2">
          <KeyboardTextField label={t('setup.pusherKey')} value={config.pusher.key} error={fieldError('key')}
            onChange={(v) => update((c) => ({ ...c, pusher: { ...c.pusher, key: v.trim() } }))} />
          <KeyboardTextField label={t('setup.pusherCluster')} value={config.pusher.cluster} error={fieldError('cluster')}
            onChange={(v) => update((c) => ({ ...c, pusher: { ...c.pusher, cluster: v.trim() } }))} />
          <KeyboardTextField label={t('setup.pusherHost')} value={config.pusher.host} error={fieldError('host')} mode="url"
            onChange={(v) => update((c) => ({ ...c, pusher: { ...c.pusher, host: v.trim() } }))} />
          <KeyboardTextField label={t('setup.pusherPort')} value={String(config.pusher.port)} error={fieldError('port')} mode="numeric"
            normalise={(v) => v.replace(/\D/g, '').slice(0, 5)}
            onChange={(v) => update((c) => ({ ...c, pusher: { ...c.pusher, port: Number(v) || 0 } }))} />
        </div>
        <CheckField label={t('setup.pusherTls')} checked={config.pusher.useTLS}
          onChange={(v) => update((c) => ({ ...c, pusher: { ...c.pusher, useTLS: v } }))} />
      </fieldset>

      <fieldset>
        <legend>{t('setup.camera')}</legend>
        <CameraPicker value={config.camera.device} status={camera} error={fieldError('device')}
          onChange={(device) => update((c) => ({ ...c, camera: { ...c.camera, device } }))} />
        <CameraPreview status={camera} showGuide={false} className="preview--small" audience="installer" />
      </fieldset>

      <fieldset>
        <legend>{t('setup.language')}</legend>
        <label className="field">
          <span>{t('setup.language')}</span>
          <select value={config.ui.language} onChange={(e) => update((c) => ({ ...c, ui: { ...c.ui, language: e.target.value as Language } }))}>
            {LANGUAGES.map((lang) => (
              <option key={lang} value={lang}>
                {translate(lang, 'lang.name')}
              </option>
            ))}
          </select>
        </label>
        <CheckField label={t('setup.showBoard')} checked={config.ui.showBoard}
          onChange={(v) => update((c) => ({ ...c, ui: { ...c.ui, showBoard: v } }))} />
        <CheckField label={t('setup.sound')} checked={config.ui.sound} testId="setup-sound"
          onChange={(v) => update((c) => ({ ...c, ui: { ...c.ui, sound: v } }))} />
        <CheckField label={t('setup.highContrast')} checked={config.ui.highContrast} testId="setup-high-contrast"
          onChange={(v) => update((c) => ({ ...c, ui: { ...c.ui, highContrast: v } }))} />
      </fieldset>

      <fieldset>
        <legend>{t('setup.liveness')}</legend>
        <label className="field">
          <span>{t('setup.liveness')}</span>
          <select value={config.recognition.liveness} data-testid="liveness-mode"
            onChange={(e) => update((c) => ({ ...c, recognition: { ...c.recognition, liveness: e.target.value as LivenessMode } }))}>
            {LIVENESS_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {t(`setup.liveness.${mode}`)}
              </option>
            ))}
          </select>
        </label>
        <p className="hint">{t('setup.livenessNote')}</p>
        <CheckField label={t('setup.auditSnapshots')} checked={config.recognition.auditSnapshots}
          onChange={(v) => update((c) => ({ ...c, recognition: { ...c.recognition, auditSnapshots: v } }))} />
      </fieldset>

      {saveProblem && (
        <p className="msg msg--bad" role="alert" data-testid="setup-errors">
          {saveProblem}
        </p>
      )}
      <div className="row">
        <button type="submit" className="btn btn--large btn--primary" disabled={busy}>
          {t('admin.save')}
        </button>
        {saved && <span role="status" className="msg msg--ok">{t('admin.saved')}</span>}
      </div>
    </form>
  );
}

export function CheckField(props: { label: string; checked: boolean; onChange: (value: boolean) => void; testId?: string }): ReactNode {
  return (
    <label className="check">
      <input type="checkbox" checked={props.checked} data-testid={props.testId} onChange={(e) => props.onChange(e.target.checked)} />
      <span>{props.label}</span>
    </label>
  );
}

/** Create or change the manager PIN (typed twice). */
export function PinSetup(props: { onDone?: () => void }): ReactNode {
  const api = useKiosk();
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const problem = newPinProblem(pin, again);
    if (problem) return setMsg({ ok: false, text: t(problem.key) });
    try {
      const result = await api.invoke('admin:setPin', pin);
      if (result.ok) {
        setPin('');
        setAgain('');
        setMsg({ ok: true, text: t('setup.pinSet') });
        props.onDone?.();
      } else setMsg({ ok: false, text: t('setup.err.pinNotAllowed') });
    } catch (error) {
      reportError(api, 'admin:setPin failed', error);
      setMsg({ ok: false, text: t(requestFailureKey(error)) });
    }
  };
  return (
    <form className="admin-form" onSubmit={(e) => void submit(e)}>
      <fieldset>
        <legend>{t('setup.pin')}</legend>
        <div className="grid2">
          <KeyboardTextField label={t('setup.newPin')} value={pin} secret mode="numeric" normalise={pinDigits} onChange={setPin} />
          <KeyboardTextField label={t('setup.repeatPin')} value={again} secret mode="numeric" normalise={pinDigits} onChange={setAgain} />
        </div>
        <button type="submit" className="btn btn--primary">
          {t('setup.setPin')}
        </button>
        {msg && (
          <p role={msg.ok ? 'status' : 'alert'} className={msg.ok ? 'msg msg--ok' : 'msg msg--bad'}>
            {msg.text}
          </p>
        )}
      </fieldset>
    </form>
  );
}
