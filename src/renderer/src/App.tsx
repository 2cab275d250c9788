/**
 * The kiosk app: loads KioskInfo, feeds IPC events into the UI state machine and shows the screen
 * for its current state. `document.body.dataset.screen` always names that state (for tests/bench).
 */
import { useMachine } from '@xstate/react';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Language } from '../../shared/domain/types';
import type { KioskApi } from '../../shared/ipc/contract';
import { KioskApiProvider, reportError, useKioskEvent, useLiveValue } from './api';
import { AdminArea } from './admin/AdminArea';
import { Announcer } from './components/Announcer';
import { ErrorBoundary } from './components/ErrorBoundary';
import { I18nProvider } from './i18n/i18n';
import { useLanguageResetOnIdle } from './i18n/session-language';
import { markRecognisedReceived, SCREEN_DATASET_KEY } from './perf';
import { GreetingScreen } from './screens/GreetingScreen';
import { IdleScreen } from './screens/IdleScreen';
import { ConfirmedScreen, FailedScreen, PunchingScreen, UndoneScreen, UnknownScreen } from './screens/OutcomeScreens';
import { ChallengeScreen, NotConfirmedScreen } from './screens/LivenessScreens';
import { PinScreen } from './screens/PinScreen';
import { ClockWithoutFaceButton } from './screens/manual/ClockWithoutFaceButton';
import { ManualPunchFlow } from './screens/manual/ManualPunchFlow';
import { ReasonScreen } from './screens/ReasonScreen';
import { SetupScreen } from './screens/SetupScreen';
import { createKioskMachine, type KioskScreen } from './state/kiosk-machine';

export interface AppProps {
  api: KioskApi;
}

/** The whole renderer, given the kiosk API. */
export function App(props: AppProps): ReactNode {
  return (
    <KioskApiProvider api={props.api}>
      <ErrorBoundary api={props.api}>
        <Kiosk api={props.api} />
      </ErrorBoundary>
    </KioskApiProvider>
  );
}

function Kiosk(props: AppProps): ReactNode {
  const api = props.api;
  const machine = useMemo(
    () =>
      createKioskMachine({
        punch: (input) => api.invoke('clock:punch', input),
        rejectMatch: (id) => {
          api.invoke('face:rejectMatch', id).catch((error: unknown) => reportError(api, 'face:rejectMatch failed', error));
        },
        startAgain: () => {
          api.invoke('face:startAgain').catch((error: unknown) => reportError(api, 'face:startAgain failed', error));
        },
        lockAdmin: () => {
          api.invoke('admin:lock').catch((error: unknown) => reportError(api, 'admin:lock failed', error));
        },
        undo: (eventId) => api.invoke('clock:undo', eventId),
        release: (eventId) => {
          api.invoke('clock:release', eventId).catch((error: unknown) => reportError(api, 'clock:release failed', error));
        },
      }),
    [api],
  );
  const [snapshot, send] = useMachine(machine);
  const screen = snapshot.value as KioskScreen;
  const ctx = snapshot.context;

  const info = useLiveValue('app:info');
  const [language, setLanguage] = useState<Language>('en');
  const connection = useLiveValue('app:connection');
  const camera = useLiveValue('camera:status');
  const board = useLiveValue('board:onDuty');

  useEffect(() => {
    if (info) send({ type: 'INFO', info });
  }, [info, send]);
  // The default language (an admin setting) applies when it changes; otherwise a staff choice stays.
  const defaultLanguage = info?.language;
  useEffect(() => {
    if (defaultLanguage) setLanguage(defaultLanguage);
  }, [defaultLanguage]);
  useKioskEvent('app:language', setLanguage);
  useKioskEvent('face:observation', (observation) => send({ type: 'OBSERVED', observation }));
  useKioskEvent('face:recognised', (recognition) => {
    markRecognisedReceived();
    send({ type: 'RECOGNISED', recognition });
  });
  useKioskEvent('face:unknown', (unknown) => send({ type: 'UNKNOWN', unknown }));
  useKioskEvent('face:gone', (gone) => send({ type: 'GONE', gone }));
  useKioskEvent('face:challenge', (challenge) => send({ type: 'CHALLENGE', challenge }));
  useKioskEvent('face:livenessFailed', (failure) => send({ type: 'LIVENESS_FAILED', failure }));
  useKioskEvent('clock:status', (status) => send({ type: 'STATUS', status }));

  useEffect(() => {
    document.body.dataset[SCREEN_DATASET_KEY] = screen;
  }, [screen]);
  // The high-contrast theme (config ui.highContrast) recolours every screen through styles.css.
  const highContrast = info?.highContrast === true;
  useEffect(() => {
    if (highContrast) document.documentElement.dataset.theme = 'high-contrast';
    else delete document.documentElement.dataset.theme;
  }, [highContrast]);

  const chooseLanguage = (next: Language): void => {
    setLanguage(next);
    api.invoke('app:setLanguage', next).catch((error: unknown) => reportError(api, 'app:setLanguage failed', error));
  };
  // The privacy reset also forgets the language the last person chose.
  useLanguageResetOnIdle(screen, () => {
    if (info && language !== info.language) chooseLanguage(info.language);
  });

  return (
    <I18nProvider language={language} timeZone={info?.timeZone}>
      <Announcer screen={screen} context={ctx} />
      {screen === 'boot' || !info ? (
        <main className="screen screen--center" data-testid="boot" aria-busy="true">
          <div className="spinner" aria-hidden="true" />
        </main>
      ) : screen === 'setup' ? (
        <SetupScreen info={info} onDone={() => send({ type: 'SETUP_DONE' })} />
      ) : screen === 'idle' || screen === 'guidance' ? (
        <IdleScreen
          info={info}
          connection={connection}
          camera={camera}
          board={board}
          observation={screen === 'guidance' ? ctx.observation : null}
          onLanguage={chooseLanguage}
          onManager={() => send({ type: 'ADMIN' })}
          onStartAgain={() => send({ type: 'START_AGAIN' })}
          cameraDownActions={<ClockWithoutFaceButton onClick={() => send({ type: 'MANUAL' })} />}
        />
      ) : screen === 'recognised' && ctx.recognition ? (
        <GreetingScreen
          recognition={ctx.recognition}
          onChoose={(action) => send({ type: 'CHOOSE', action })}
          onNotYou={() => send({ type: 'NOT_YOU' })}
          onCancel={() => send({ type: 'CANCEL' })}
        />
      ) : screen === 'reason' && ctx.recognition ? (
        <ReasonScreen
          name={ctx.recognition.staff.name}
          onReason={(reason) => send({ type: 'REASON', reason })}
          onBack={() => send({ type: 'BACK' })}
          onActivity={() => send({ type: 'ACTIVITY' })}
        />
      ) : screen === 'punching' ? (
        <PunchingScreen />
      ) : (screen === 'confirmed' || screen === 'undoing') && ctx.result ? (
        <ConfirmedScreen
          result={ctx.result}
          name={ctx.recognition?.staff.name ?? ''}
          sound={info.sound !== false}
          undoing={screen === 'undoing'}
          undoRefused={ctx.undoRefused}
          onUndo={snapshot.can({ type: 'UNDO' }) || screen === 'undoing' ? () => send({ type: 'UNDO' }) : undefined}
          onDone={() => send({ type: 'DISMISS' })}
        />
      ) : screen === 'undone' ? (
        <UndoneScreen onDone={() => send({ type: 'DISMISS' })} />
      ) : screen === 'failed' && ctx.failure ? (
        <FailedScreen failure={ctx.failure} onRetry={() => send({ type: 'RETRY' })} onClose={() => send({ type: 'DISMISS' })} />
      ) : screen === 'unknown' ? (
        <UnknownScreen
          reason={ctx.unknown?.reason ?? 'not_enrolled'}
          onRetry={() => send({ type: 'RETRY' })}
          onManager={() => send({ type: 'ADMIN' })}
          onManual={() => send({ type: 'MANUAL' })}
        />
      ) : screen === 'manual' ? (
        <ManualPunchFlow
          onClose={() => send({ type: 'MANUAL_DONE' })}
          onEnrol={(staffId) => send({ type: 'ENROL', staffId })}
          onEnrolWithPin={(staffId) => send({ type: 'ENROL_WITH_PIN', staffId })}
          onActivity={() => send({ type: 'ACTIVITY' })}
          sound={info.sound !== false}
        />
      ) : screen === 'challenge' && ctx.challenge ? (
        <ChallengeScreen challenge={ctx.challenge} />
      ) : screen === 'notConfirmed' && ctx.livenessFailure ? (
        <NotConfirmedScreen
          failure={ctx.livenessFailure}
          onRetry={() => send({ type: 'RETRY' })}
          onManager={() => send({ type: 'ADMIN' })}
          onManual={() => send({ type: 'MANUAL' })}
        />
      ) : screen === 'adminPin' ? (
        <PinScreen
          onUnlocked={() => send({ type: 'UNLOCKED' })}
          onCancel={() => send({ type: 'CANCEL' })}
          onActivity={() => send({ type: 'ACTIVITY' })}
        />
      ) : screen === 'admin' ? (
        <AdminArea onLock={() => send({ type: 'LOCK' })} onActivity={() => send({ type: 'ACTIVITY' })} enrolStaffId={ctx.enrolStaffId} />
      ) : null}
    </I18nProvider>
  );
}
