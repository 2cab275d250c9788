/**
 * The plain-language setup wizard: one question per step (language, manager PIN, where the hotel
 * is on HotelMate, the kiosk account, the hotel's time zone, the camera with a live picture, how
 * sure the kiosk makes itself that a live person is in front of it), Back
 * and Next with the progress shown, each answer checked before going on with the problem named at
 * the field, and a test punch at the end (see `setup:testPunch`: a dry run that writes nothing).
 * Used for the first run (setup screen) and again from Admin > Setup.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { LivenessMode } from '../../../../shared/config/schema';
import type { AdminStatus, PublicConfig } from '../../../../shared/domain/admin';
import type { TestPunchReport } from '../../../../shared/domain/setup';
import type { Language } from '../../../../shared/domain/types';
import { reportError, useKiosk, useKioskEvent, useLiveValue } from '../../api';
import { CameraPreview } from '../../components/CameraPreview';
import { KeyboardTextField } from '../../components/keyboard';
import { requestFailureKey } from '../../i18n/codes';
import { useI18n, type PlainKey } from '../../i18n/i18n';
import { PinPad } from '../../screens/PinScreen';
import { CameraPicker } from '../CameraPicker';
import { LanguageChoice } from '../LanguageChoice';
import { isKnownTimeZone, TimeZonePicker } from '../TimeZonePicker';
import { LivenessChoice } from './LivenessChoice';
import { checkTextKey, fieldOfRejection, hotelProblems, newPinProblem, pinDigits, signInFailureKey, stepForCheck, WIZARD_STEPS, type WizardStep } from './wizard-logic';
import './wizard.css';

export interface SetupWizardProps {
  /** Called by the last step's button ("Finish"). */
  onFinish: () => void;
  /** The last step's button text (first run: "Start the kiosk"). */
  finishLabel?: string;
  /** Whether the last step's button may be pressed (first run: only once main says the kiosk is set up). */
  canFinish?: boolean;
  /** Any touch or key counts as activity (the admin area's idle timer). */
  onActivity?: () => void;
}

type Problems = Partial<Record<string, PlainKey>>;

export function SetupWizard(props: SetupWizardProps): ReactNode {
  const api = useKiosk();
  const i18n = useI18n();
  const { t } = i18n;
  const [stepIndex, setStepIndex] = useState(0);
  const step: WizardStep = WIZARD_STEPS[stepIndex] ?? 'language';
  const [config, setConfig] = useState<PublicConfig | null>(null);
  const [status, setStatus] = useState<AdminStatus | null>(null);
  const [problems, setProblems] = useState<Problems>({});
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // Answers.
  const [language, setLanguage] = useState<Language>(i18n.language);
  const [pin, setPin] = useState('');
  const [pinAgain, setPinAgain] = useState('');
  const [apiBaseUrl, setApiBaseUrl] = useState('');
  const [hotelSlug, setHotelSlug] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [signedIn, setSignedIn] = useState<string | null>(null);
  const [timeZone, setTimeZone] = useState('Europe/Dublin');
  const [camera, setCamera] = useState('auto');
  const [liveness, setLiveness] = useState<LivenessMode>('challenge_when_doubtful');
  const [report, setReport] = useState<TestPunchReport | null>(null);
  const cameraStatus = useLiveValue('camera:status');
  const heading = useRef<HTMLHeadingElement | null>(null);

  const loadConfig = useCallback(async (): Promise<PublicConfig | null> => {
    try {
      const loaded = await api.invoke('config:get');
      setConfig(loaded);
      return loaded;
    } catch (error) {
      reportError(api, 'config:get failed', error);
      return null;
    }
  }, [api]);

  useEffect(() => {
    void loadConfig().then((loaded) => {
      if (!loaded) return;
      setApiBaseUrl(loaded.api.baseUrl);
      setHotelSlug(loaded.hotel.slug);
      setTimeZone(loaded.hotel.timeZone);
      setCamera(loaded.camera.device);
      setLiveness(loaded.recognition.liveness);
      if (loaded.api.hasToken && loaded.api.accountName) setSignedIn(t('setup.signedIn', { account: loaded.api.accountName, hotel: loaded.hotel.name }));
    });
    api.get('admin:status').then(setStatus, (error: unknown) => reportError(api, 'admin:status failed', error));
    // Loaded once; the answers are the wizard's own state from here on.
  }, [api, loadConfig]);
  useKioskEvent('admin:status', setStatus);

  // A new step: its heading takes the focus (screen readers announce the question).
  useEffect(() => {
    heading.current?.focus();
  }, [stepIndex]);

  const goTo = (target: WizardStep): void => {
    setProblems({});
    setNote(null);
    setStepIndex(WIZARD_STEPS.indexOf(target));
  };

  /** Saves part of the config; a refusal becomes a field problem of this step. */
  const save = async (patch: Record<string, unknown>, field: string): Promise<boolean> => {
    try {
      const result = await api.invoke('config:update', patch);
      if (result.ok) {
        setConfig(result.config);
        return true;
      }
      setProblems({ [field]: 'setup.field.other' });
      return false;
    } catch (error) {
      reportError(api, 'config:update failed', error);
      setNote({ ok: false, text: t(requestFailureKey(error)) });
      return false;
    }
  };

  /** Checks and saves the current step's answer; resolves whether to go on. */
  const finishStep = async (): Promise<boolean> => {
    switch (step) {
      case 'language':
        api.invoke('app:setLanguage', language).catch((error: unknown) => reportError(api, 'app:setLanguage failed', error));
        return save({ ui: { language } }, 'language');
      case 'pin': {
        const pinSet = status?.pinSet ?? false;
        if (pinSet && pin === '' && pinAgain === '') return true;
        const problem = newPinProblem(pin, pinAgain);
        if (problem) {
          setProblems({ [problem.field]: problem.key });
          return false;
        }
        try {
          const set = await api.invoke('admin:setPin', pin);
          if (!set.ok) {
            setProblems({ pin: 'setup.err.pinNotAllowed' });
            return false;
          }
          // The first PIN does not open the manager session: open it with the PIN just chosen.
          if (!status?.unlocked) {
            const unlocked = await api.invoke('admin:unlock', pin);
            if (unlocked.ok) setStatus(unlocked.status);
          }
          setPin('');
          setPinAgain('');
          return true;
        } catch (error) {
          reportError(api, 'admin:setPin failed', error);
          setNote({ ok: false, text: t(requestFailureKey(error)) });
          return false;
        }
      }
      case 'hotel': {
        const local = hotelProblems(apiBaseUrl, hotelSlug);
        if (local.apiBaseUrl || local.hotelSlug) {
          setProblems(local);
          return false;
        }
        const check = await api.invoke('setup:checkHotel', { apiBaseUrl, hotelSlug });
        if (!check.ok) {
          const key: PlainKey = `wizard.err.${check.error.code}`;
          setProblems(check.error.code === 'not_found' ? { hotelSlug: key } : { apiBaseUrl: key });
          return false;
        }
        if (!check.faceAttendanceEnabled) setNote({ ok: false, text: t('wizard.hotelFaceOff') });
        return save({ hotel: { slug: hotelSlug }, api: { baseUrl: apiBaseUrl } }, 'apiBaseUrl');
      }
      case 'account':
        if (signedIn) return true;
        setProblems({ username: 'wizard.err.signInFirst' });
        return false;
      case 'timezone':
        if (!isKnownTimeZone(timeZone)) {
          setProblems({ timeZone: 'setup.field.timeZone' });
          return false;
        }
        return save({ hotel: { timeZone } }, 'timeZone');
      case 'camera':
        return save({ camera: { device: camera } }, 'camera');
      case 'liveness':
        return save({ recognition: { liveness } }, 'liveness');
      case 'test':
        return true;
    }
  };

  const next = async (): Promise<void> => {
    if (busy) return;
    props.onActivity?.();
    setBusy(true);
    setProblems({});
    setNote(null);
    try {
      if (!(await finishStep())) return;
      if (step === 'test') props.onFinish();
      else setStepIndex((i) => i + 1);
    } catch (error) {
      reportError(api, `setup wizard step ${step} failed`, error);
      const field = fieldOfRejection(error);
      if (field) setProblems({ [field]: field === 'apiBaseUrl' ? 'setup.field.apiUrl' : 'setup.field.slug' });
      else setNote({ ok: false, text: t(requestFailureKey(error)) });
    } finally {
      setBusy(false);
    }
  };

  const signIn = async (): Promise<void> => {
    props.onActivity?.();
    setBusy(true);
    setProblems({});
    setSignedIn(null);
    try {
      const result = await api.invoke('setup:signIn', { apiBaseUrl, hotelSlug, username, password });
      setPassword('');
      if (result.ok) {
        setSignedIn(t('setup.signedIn', { account: result.accountName, hotel: result.hotelName }));
        void loadConfig();
      } else setProblems({ password: signInFailureKey(result.error.code) });
    } catch (error) {
      reportError(api, 'setup:signIn failed', error);
      setProblems({ password: fieldOfRejection(error) ? 'wizard.err.hotelFirst' : requestFailureKey(error) });
    } finally {
      setBusy(false);
    }
  };

  const runTest = useCallback(async (): Promise<void> => {
    setBusy(true);
    setReport(null);
    try {
      setReport(await api.invoke('setup:testPunch'));
    } catch (error) {
      reportError(api, 'setup:testPunch failed', error);
      setNote({ ok: false, text: t(requestFailureKey(error)) });
    } finally {
      setBusy(false);
    }
  }, [api, t]);
  useEffect(() => {
    if (step === 'test') void runTest();
  }, [step, runTest]);

  const problem = (field: string): string | null => {
    const key = problems[field];
    return key ? t(key) : null;
  };

  // The manager session locked itself (two minutes without a request): the PIN first, then on.
  const pinStepDone = stepIndex > WIZARD_STEPS.indexOf('pin');
  if (status && status.pinSet && !status.unlocked && pinStepDone) {
    return (
      <section className="wizard card card--narrow" aria-labelledby="wizard-locked" data-testid="wizard-locked">
        <h2 id="wizard-locked">{t('pin.title')}</h2>
        <p>{t('wizard.locked')}</p>
        <PinPad onUnlocked={() => api.get('admin:status').then(setStatus, () => undefined)} />
      </section>
    );
  }

  const last = step === 'test';
  return (
    <section className="wizard" aria-labelledby="wizard-question" data-testid="wizard" data-step={step} onPointerDown={props.onActivity}>
      <p className="wizard__count" data-testid="wizard-progress">
        {t('wizard.progress', { step: stepIndex + 1, total: WIZARD_STEPS.length })}
      </p>
      <ol className="wizard__steps">
        {WIZARD_STEPS.map((id, index) => (
          <li key={id} className={index === stepIndex ? 'is-current' : index < stepIndex ? 'is-done' : ''} aria-current={index === stepIndex ? 'step' : undefined}>
            {t(`wizard.step.${id}`)}
          </li>
        ))}
      </ol>
      <div className="wizard__body">
        <h2 id="wizard-question" ref={heading} tabIndex={-1}>
          {t(`wizard.q.${step}`)}
        </h2>
        <p className="wizard__help">{t(`wizard.help.${step}`)}</p>

        {step === 'language' && (
          <LanguageChoice
            look="large"
            labelledBy="wizard-question"
            value={language}
            onChange={(lang) => {
              setLanguage(lang);
              api.invoke('app:setLanguage', lang).catch((error: unknown) => reportError(api, 'app:setLanguage failed', error));
            }}
          />
        )}

        {step === 'pin' && (
          <>
            {status?.pinSet && <p className="msg msg--ok">{t('wizard.pinKept')}</p>}
            <KeyboardTextField label={t('setup.newPin')} value={pin} onChange={setPin} normalise={pinDigits} mode="numeric" secret error={problem('pin')} onActivity={props.onActivity} />
            <KeyboardTextField label={t('setup.repeatPin')} value={pinAgain} onChange={setPinAgain} normalise={pinDigits} mode="numeric" secret error={problem('again')} onActivity={props.onActivity} />
          </>
        )}

        {step === 'hotel' && (
          <>
            <KeyboardTextField
              label={t('wizard.hotelAddress')}
              hint={t('wizard.hotelAddressHint')}
              value={apiBaseUrl}
              onChange={(v) => setApiBaseUrl(v.trim())}
              mode="url"
              error={problem('apiBaseUrl')}
              onActivity={props.onActivity}
            />
            <KeyboardTextField
              label={t('wizard.hotelSlug')}
              hint={t('wizard.hotelSlugHint')}
              value={hotelSlug}
              onChange={(v) => setHotelSlug(v.trim().toLowerCase())}
              mode="url"
              error={problem('hotelSlug')}
              onActivity={props.onActivity}
              onEnter={() => void next()}
              enterLabel={t('wizard.next')}
            />
          </>
        )}

        {step === 'account' && (
          <>
            <KeyboardTextField label={t('setup.username')} value={username} onChange={setUsername} mode="email" error={problem('username')} onActivity={props.onActivity} />
            <KeyboardTextField
              label={t('setup.password')}
              value={password}
              onChange={setPassword}
              secret
              error={problem('password')}
              onActivity={props.onActivity}
              onEnter={() => void signIn()}
              enterLabel={t('setup.signIn')}
            />
            <div className="row">
              <button type="button" className="btn btn--primary" disabled={busy || !username || !password} onClick={() => void signIn()}>
                {t('setup.signIn')}
              </button>
            </div>
            {signedIn && (
              <p className="msg msg--ok" role="status" data-testid="signin-result">
                {signedIn}
              </p>
            )}
          </>
        )}

        {step === 'timezone' && <TimeZonePicker value={timeZone} onChange={setTimeZone} error={problem('timeZone')} onActivity={props.onActivity} />}

        {step === 'camera' && (
          <div className="wizard__camera">
            <CameraPicker value={camera} onChange={setCamera} status={cameraStatus} error={problem('camera')} />
            <div>
              <CameraPreview status={cameraStatus} showGuide={false} className="preview--small" audience="installer" />
              {cameraStatus?.state === 'streaming' && <p className="msg msg--ok">{t('wizard.cameraOk')}</p>}
            </div>
          </div>
        )}

        {step === 'liveness' && (
          <>
            <LivenessChoice value={liveness} onChange={setLiveness} labelledBy="wizard-question" error={problem('liveness')} />
            <p className="hint">{t('setup.livenessNote')}</p>
          </>
        )}

        {step === 'test' && (
          <div className="wizard__test" aria-busy={busy}>
            {report === null ? (
              <p role="status">{t('wizard.testRunning')}</p>
            ) : (
              <>
                <p role="status" className={`msg ${report.ok ? 'msg--ok' : 'msg--bad'}`} data-testid="test-result">
                  {t(report.ok ? 'wizard.testOk' : 'wizard.testFailed')}
                </p>
                <ul className="wizard__checks" data-testid="test-checks">
                  {report.checks.map((check) => (
                    <li key={check.id} className={`wizard__check wizard__check--${check.result}`} data-check={check.id} data-result={check.result}>
                      <strong>{t(`check.${check.id}`)}</strong>
                      <span className="wizard__result">{t(`check.result.${check.result}`)}</span>
                      <span>{t(checkTextKey(check))}</span>
                      {check.result === 'failed' && stepForCheck(check) !== 'test' && (
                        <button type="button" className="btn btn--small btn--secondary" onClick={() => goTo(stepForCheck(check))}>
                          {t('wizard.fix', { step: t(`wizard.step.${stepForCheck(check)}`) })}
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
              </>
            )}
            <button type="button" className="btn btn--secondary" disabled={busy} onClick={() => void runTest()}>
              {t('wizard.testRun')}
            </button>
          </div>
        )}

        {last && props.canFinish === false && report !== null && (
          <p className="msg msg--warn" data-testid="wizard-cannot-start">
            {t('wizard.cannotStart')}
          </p>
        )}
        {note && (
          <p className={`msg ${note.ok ? 'msg--ok' : 'msg--warn'}`} role={note.ok ? 'status' : 'alert'} data-testid="wizard-note">
            {note.text}
          </p>
        )}
      </div>
      <div className="wizard__nav">
        <button type="button" className="btn btn--large btn--secondary" disabled={stepIndex === 0 || busy} onClick={() => goTo(WIZARD_STEPS[stepIndex - 1] ?? 'language')}>
          {t('wizard.back')}
        </button>
        <button
          type="button"
          className="btn btn--large btn--primary"
          disabled={busy || (last && props.canFinish === false) || config === null}
          onClick={() => void next()}
          data-testid="wizard-next"
        >
          {last ? (props.finishLabel ?? t('wizard.finish')) : t('wizard.next')}
        </button>
      </div>
    </section>
  );
}
