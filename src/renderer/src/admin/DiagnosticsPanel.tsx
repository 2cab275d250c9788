/** Diagnostics for whoever looks after the kiosk: camera, face timings, queue, sync, Pusher, versions. */
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { Diagnostics } from '../../../shared/domain/diagnostics';
import { useKiosk, messageOf } from '../api';
import { useI18n } from '../i18n/i18n';

export function DiagnosticsPanel(): ReactNode {
  const api = useKiosk();
  const { t } = useI18n();
  const [diag, setDiag] = useState<Diagnostics | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [path, setPath] = useState('');
  const [exported, setExported] = useState<{ ok: boolean; text: string } | null>(null);

  const load = useCallback(async (): Promise<void> => {
    try {
      setDiag(await api.invoke('diagnostics:get'));
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);

  const exportTo = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!path.trim()) return;
    try {
      const result = await api.invoke('diagnostics:export', path.trim());
      setExported(result.ok ? { ok: true, text: t('diag.exported', { path: result.path }) } : { ok: false, text: result.error.message });
    } catch (e) {
      setExported({ ok: false, text: messageOf(e) });
    }
  };

  const rows: [string, string][] = diag
    ? [
        [t('diag.camera'), `${diag.camera.state} · ${diag.camera.fps.toFixed(1)} fps · ${diag.camera.restarts} restarts · ${diag.camera.device ?? '—'}`],
        [t('diag.face'), `${diag.face.analysedFps.toFixed(1)} fps analysed · ${diag.face.decisions} decisions · ${diag.face.workerRestarts} worker restarts`],
        [t('diag.timings'), Object.entries(diag.face.stageMs).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(' · ') || '—'],
        [t('diag.queue'), `${diag.queue.pending} pending · ${diag.queue.needsReview} needs review · ${diag.queue.synced} synced · oldest ${diag.queue.oldestPendingAt ?? '—'}`],
        [t('diag.sync'), `${diag.sync.api} · last ${diag.sync.lastSyncAt ?? '—'}${diag.sync.lastError ? ` · ${diag.sync.lastError}` : ''}`],
        [t('diag.realtime'), `${diag.realtime.state} · ${diag.realtime.events} events · last ${diag.realtime.lastEventAt ?? '—'}`],
        [t('diag.health'), `up ${Math.round(diag.health.uptimeSeconds)} s · renderer restarts ${diag.health.rendererRestarts} · watchdog ${diag.health.watchdogRestarts}`],
        [t('diag.versions'), Object.entries(diag.versions).map(([k, v]) => `${k} ${v}`).join(' · ')],
      ]
    : [];

  return (
    <section aria-labelledby="diag-title">
      <h2 id="diag-title">{t('diag.title')}</h2>
      <button type="button" className="btn btn--secondary" onClick={() => void load()}>
        {t('diag.refresh')}
      </button>
      {error && <p role="alert" className="msg msg--bad">{t('admin.error', { message: error })}</p>}
      {!diag && !error && <p>{t('admin.loading')}</p>}
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
        <label className="field field--inline">
          <span>{t('diag.exportPath')}</span>
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/media/usb" />
        </label>
        <button type="submit" className="btn btn--primary" disabled={!path.trim()}>
          {t('diag.export')}
        </button>
      </form>
      {exported && <p role={exported.ok ? 'status' : 'alert'} className={exported.ok ? 'msg msg--ok' : 'msg msg--bad'}>{exported.text}</p>}
    </section>
  );
}
