/**
 * Kiosk setup: hotel and API, signing in with the kiosk account (main stores the token), Pusher,
 * camera with a live preview, default language and board. Saved through `config:update`, whose
 * field errors are shown next to the form.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { ConfigFieldError, PublicConfig } from '../../../shared/domain/admin';
import type { SignInErrorCode } from '../../../shared/domain/setup';
import type { CameraDevice, Language } from '../../../shared/domain/types';
import { LANGUAGES } from '../../../shared/domain/types';
import { reportError, useKiosk, useLiveValue, messageOf } from '../api';
import { CameraPreview } from '../components/CameraPreview';
import { translate, useI18n } from '../i18n/i18n';

export function SetupPanel(): ReactNode {
  const api = useKiosk();
  const { t } = useI18n();
  const [config, setConfig] = useState<PublicConfig | null>(null);
  const [cameras, setCameras] = useState<CameraDevice[]>([]);
  const [errors, setErrors] = useState<ConfigFieldError[]>([]);
  const [saved, setSaved] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
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
        if (live) setLoadError(messageOf(error));
      },
    );
    api.invoke('camera:list').then(
      (list) => live && setCameras(list),
      (error: unknown) => reportError(api, 'camera:list failed', error),
    );
    return () => {
      live = false;
    };
  }, [api]);

  if (loadError) return <p role="alert">{t('admin.error', { message: loadError })}</p>;
  if (!config) return <p>{t('admin.loading')}</p>;

  const fieldError = (field: string): string | null =>
    errors.find((e) => e.field === field || e.field.endsWith(`.${field}`))?.message ?? null;
  const update = (change: (c: PublicConfig) => PublicConfig): void => {
    setSaved(false);
    setConfig(change(config));
  };

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    try {
      const result = await api.invoke('config:update', {
        hotel: { slug: config.hotel.slug },
        api: { baseUrl: config.api.baseUrl },
        pusher: { ...config.pusher },
        camera: { device: config.camera.device },
        ui: { language: config.ui.language, showBoard: config.ui.showBoard },
      });
      if (result.ok) {
        setConfig(result.config);
        setErrors([]);
        setSaved(true);
      } else {
        setErrors(result.errors);
      }
    } catch (error) {
      setErrors([{ field: '', message: messageOf(error) }]);
    } finally {
      setBusy(false);
    }
  };

  const doSignIn = async (): Promise<void> => {
    setBusy(true);
    setSignIn(null);
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
        const code: SignInErrorCode = result.error.code;
        setSignIn({ ok: false, text: `${t(`setup.err.${code}`)} (${result.error.message})` });
      }
    } catch (error) {
      setSignIn({ ok: false, text: t('admin.error', { message: messageOf(error) }) });
    } finally {
      setBusy(false);
    }
  };

  const general = errors.filter((e) => !['slug', 'baseUrl', 'key', 'cluster', 'host', 'port', 'device'].some((f) => e.field.endsWith(f)));

  return (
    <form className="admin-form" onSubmit={(e) => void save(e)}>
      <fieldset>
        <legend>{t('setup.hotel')}</legend>
        <TextField label={t('setup.slug')} value={config.hotel.slug} error={fieldError('slug')}
          onChange={(v) => update((c) => ({ ...c, hotel: { ...c.hotel, slug: v.trim().toLowerCase() } }))} />
        <TextField label={t('setup.apiUrl')} value={config.api.baseUrl} error={fieldError('baseUrl')} type="url"
          onChange={(v) => update((c) => ({ ...c, api: { ...c.api, baseUrl: v.trim() } }))} />
        <div className="grid2">
          <TextField label={t('setup.username')} value={username} onChange={setUsername} autoComplete="username" />
          <TextField label={t('setup.password')} value={password} onChange={setPassword} type="password" autoComplete="current-password" />
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
        <legend>{t('setup.pusher')}</legend>
        <CheckField label={t('setup.pusherEnabled')} checked={config.pusher.enabled}
          onChange={(v) => update((c) => ({ ...c, pusher: { ...c.pusher, enabled: v } }))} />
        <div className="grid2">
          <TextField label={t('setup.pusherKey')} value={config.pusher.key} error={fieldError('key')}
            onChange={(v) => update((c) => ({ ...c, pusher: { ...c.pusher, key: v.trim() } }))} />
          <TextField label={t('setup.pusherCluster')} value={config.pusher.cluster} error={fieldError('cluster')}
            onChange={(v) => update((c) => ({ ...c, pusher: { ...c.pusher, cluster: v.trim() } }))} />
          <TextField label={t('setup.pusherHost')} value={config.pusher.host} error={fieldError('host')}
            onChange={(v) => update((c) => ({ ...c, pusher: { ...c.pusher, host: v.trim() } }))} />
          <TextField label={t('setup.pusherPort')} value={String(config.pusher.port)} error={fieldError('port')} inputMode="numeric"
            onChange={(v) => update((c) => ({ ...c, pusher: { ...c.pusher, port: Number(v.replace(/\D/g, '')) || 0 } }))} />
        </div>
        <CheckField label={t('setup.pusherTls')} checked={config.pusher.useTLS}
          onChange={(v) => update((c) => ({ ...c, pusher: { ...c.pusher, useTLS: v } }))} />
      </fieldset>

      <fieldset>
        <legend>{t('setup.camera')}</legend>
        <label className="field">
          <span>{t('setup.cameraDevice')}</span>
          <select value={config.camera.device} onChange={(e) => update((c) => ({ ...c, camera: { ...c.camera, device: e.target.value } }))}>
            <option value="auto">{t('setup.cameraAuto')}</option>
            {cameras.map((cam) => (
              <option key={cam.id} value={cam.id}>
                {cam.label}
              </option>
            ))}
            {config.camera.device !== 'auto' && !cameras.some((c) => c.id === config.camera.device) && (
              <option value={config.camera.device}>{config.camera.device}</option>
            )}
          </select>
          {fieldError('device') && <span className="field__error">{fieldError('device')}</span>}
        </label>
        <CameraPreview status={camera} showGuide={false} className="preview--small" />
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
      </fieldset>

      {general.length > 0 && (
        <ul className="msg msg--bad" role="alert">
          {general.map((e) => (
            <li key={`${e.field}:${e.message}`}>{e.field ? `${e.field}: ${e.message}` : e.message}</li>
          ))}
        </ul>
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

/** Labelled text input with its validation message. */
export function TextField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | null;
  type?: string;
  autoComplete?: string;
  inputMode?: 'numeric' | 'text';
}): ReactNode {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        type={props.type ?? 'text'}
        value={props.value}
        autoComplete={props.autoComplete ?? 'off'}
        inputMode={props.inputMode}
        aria-invalid={props.error ? true : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.error && <span className="field__error">{props.error}</span>}
    </label>
  );
}

export function CheckField(props: { label: string; checked: boolean; onChange: (value: boolean) => void }): ReactNode {
  return (
    <label className="check">
      <input type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} />
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
    if (!/^\d{4,12}$/.test(pin)) return setMsg({ ok: false, text: t('setup.pinInvalid') });
    if (pin !== again) return setMsg({ ok: false, text: t('setup.pinMismatch') });
    try {
      const result = await api.invoke('admin:setPin', pin);
      if (result.ok) {
        setPin('');
        setAgain('');
        setMsg({ ok: true, text: t('setup.pinSet') });
        props.onDone?.();
      } else setMsg({ ok: false, text: result.error.message });
    } catch (error) {
      setMsg({ ok: false, text: t('admin.error', { message: messageOf(error) }) });
    }
  };
  return (
    <form className="admin-form" onSubmit={(e) => void submit(e)}>
      <fieldset>
        <legend>{t('setup.pin')}</legend>
        <div className="grid2">
          <TextField label={t('setup.newPin')} value={pin} type="password" inputMode="numeric" onChange={(v) => setPin(v.replace(/\D/g, '').slice(0, 12))} />
          <TextField label={t('setup.repeatPin')} value={again} type="password" inputMode="numeric" onChange={(v) => setAgain(v.replace(/\D/g, '').slice(0, 12))} />
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
