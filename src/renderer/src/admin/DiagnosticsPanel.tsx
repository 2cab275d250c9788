/**
 * Diagnostics for whoever looks after the kiosk: camera, face timings, the punch queue, the face
 * registrations and removals on their way, sync, live updates, health and versions, in the chosen
 * language with times in the hotel's time zone.
 */
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { Diagnostics } from '../../../shared/domain/diagnostics';
import { reportError, useKiosk } from '../api';
import { KeyboardTextField } from '../components/keyboard';
import { API_STATE_KEYS, CAMERA_STATE_KEYS, keyForCode, REALTIME_STATE_KEYS, stageName } from '../i18n/codes';
import { useI18n, type I18n } from '../i18n/i18n';
import { useRequestFailure } from './request-failure';

const round1 = (value: number): number => Math.round(value * 10) / 10;
const parts = (...items: (string | false | null)[]): string => items.filter(Boolean).join(' · ');

/** The diagnostics as label/value rows, every value in words of the current language. */
export function diagnosticsRows(i18n: I18n, diag: Diagnostics): [string, string][] {
  const { t, formatDateTime, formatDuration, formatNumber } = i18n;
  const { camera, face, queue, jobs, sync, realtime, health } = diag;
  const ms = (value: number): string => `${formatNumber(round1(value))} ms`;
  return [
    [
      t('diag.camera'),
      parts(
        t(keyForCode(CAMERA_STATE_KEYS, camera.state, 'diag.unknownState')),
        t('diag.fps', { n: round1(camera.fps) }),
        t('diag.restarts', { n: camera.restarts }),
        camera.device ?? t('diag.noDevice'),
      ),
    ],
    [
      t('diag.face'),
      parts(t('diag.analysed', { n: round1(face.analysedFps) }), t('diag.decisions', { n: face.decisions }), t('diag.workerRestarts', { n: face.workerRestarts })),
    ],
    [t('diag.timings'), Object.entries(face.stageMs).map(([stage, value]) => `${stageName(i18n, stage)} ${ms(value)}`).join(' · ') || '—'],
    [
      t('diag.queue'),
      parts(
        t('diag.queuePending', { n: queue.pending }),
        t('diag.queueReview', { n: queue.needsReview }),
        t('diag.queueSynced', { n: queue.synced }),
        queue.oldestPendingAt && t('diag.oldest', { time: formatDateTime(queue.oldestPendingAt) }),
      ),
    ],
    [
      t('diag.jobs'),
      parts(
        t('diag.jobsWaiting', { n: jobs.waiting + jobs.running }),
        t('diag.jobsFailed', { n: jobs.failed }),
        jobs.oldestWaitingAt && t('diag.oldest', { time: formatDateTime(jobs.oldestWaitingAt) }),
        jobs.paused && t(jobs.paused.reason === 'offline' ? 'diag.jobsPaused.offline' : 'diag.jobsPaused.unauthorised'),
        jobs.lastError && t('diag.lastProblem', { message: jobs.lastError.message }),
      ),
    ],
    [
      t('diag.sync'),
      parts(
        t(keyForCode(API_STATE_KEYS, sync.api, 'diag.unknownState')),
        sync.lastSyncAt ? t('diag.lastSync', { time: formatDateTime(sync.lastSyncAt) }) : t('diag.neverSynced'),
        sync.lastError && t('diag.lastProblem', { message: sync.lastError }),
      ),
    ],
    [
      t('diag.realtime'),
      parts(
        t(keyForCode(REALTIME_STATE_KEYS, realtime.state, 'diag.unknownState')),
        t('diag.events', { n: realtime.events }),
        realtime.lastEventAt && t('diag.lastEvent', { time: formatDateTime(realtime.lastEventAt) }),
      ),
    ],
    [
      t('diag.health'),
      parts(
        t('diag.uptime', { duration: formatDuration(health.uptimeSeconds) }),
        t('diag.rendererRestarts', { n: health.rendererRestarts }),
        t('diag.watchdogRestarts', { n: health.watchdogRestarts }),
      ),
    ],
    ...(diag.storage
      ? [
          [
            t('diag.storage'),
            parts(
              t(diag.storage.secretsProtected ? 'diag.secretsKeyring' : 'diag.secretsPlain'),
              diag.storage.lastBackupAt ? t('diag.lastBackup', { time: formatDateTime(diag.storage.lastBackupAt) }) : t('diag.noBackup'),
              diag.storage.lastBackupError && t('diag.backupFailed', { message: diag.storage.lastBackupError }),
            ),
          ] satisfies [string, string],
        ]
      : []),
    [t('diag.versions'), Object.entries(diag.versions).map(([k, v]) => `${k} ${v}`).join(' · ')],
  ];
}

export function DiagnosticsPanel(): ReactNode {
  const api = useKiosk();
  const i18n = useI18n();
  const { t } = i18n;
  const [diag, setDiag] = useState<Diagnostics | null>(null);
  const { failure, fail, clear } = useRequestFailure();
  const [path, setPath] = useState('');
  const [exported, setExported] = useState<{ ok: boolean; text: string } | null>(null);

  const load = useCallback(async (): Promise<void> => {
    try {
      setDiag(await api.invoke('diagnostics:get'));
      clear();
    } catch (e) {
      fail('diagnostics:get failed', e);
    }
  }, [api, fail, clear]);
  useEffect(() => {
    void load();
  }, [load]);

  const exportTo = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!path.trim()) return;
    const folder = path.trim();
    try {
      const result = await api.invoke('diagnostics:export', folder);
      if (!result.ok) reportError(api, 'diagnostics export failed', result.error.message);
      setExported(result.ok ? { ok: true, text: t('diag.exported', { path: result.path }) } : { ok: false, text: t('diag.exportFailed', { path: folder }) });
    } catch (e) {
      reportError(api, 'diagnostics:export failed', e);
      setExported({ ok: false, text: t('diag.exportFailed', { path: folder }) });
    }
  };

  const rows = diag ? diagnosticsRows(i18n, diag) : [];

  return (
    <section aria-labelledby="diag-title">
      <h2 id="diag-title">{t('diag.title')}</h2>
      <button type="button" className="btn btn--secondary" onClick={() => void load()}>
        {t('diag.refresh')}
      </button>
      {failure && <p role="alert" className="msg msg--bad">{t(failure)}</p>}
      {!diag && !failure && <p>{t('admin.loading')}</p>}
      {diag && (
        <dl className="diag" data-testid="diagnostics">
          {rows.map(([k, v]) => (
            <div key={k} className="diag__row">
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
          {diag.recentErrors.length > 0 && (
            <div className="diag__row">
              <dt>{t('diag.errors')}</dt>
              <dd>
                <ul>
                  {diag.recentErrors.slice(0, 10).map((e, i) => (
                    <li key={i}>{e}</li>
                  ))}
                </ul>
              </dd>
            </div>
          )}
        </dl>
      )}
      <form className="row" onSubmit={(e) => void exportTo(e)}>
        <KeyboardTextField label={t('diag.exportPath')} hint={t('diag.exportPathHint')} value={path} onChange={setPath} mode="url" />
        <button type="submit" className="btn btn--primary" disabled={!path.trim()}>
          {t('diag.export')}
        </button>
      </form>
      {exported && <p role={exported.ok ? 'status' : 'alert'} className={exported.ok ? 'msg msg--ok' : 'msg msg--bad'}>{exported.text}</p>}
    </section>
  );
}
