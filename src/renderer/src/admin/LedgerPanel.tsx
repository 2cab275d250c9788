/**
 * The punches held on this kiosk: waiting (with how often they were tried), sending, synced (every
 * late one marked with its delay and the time HotelMate recorded), needs review (with HotelMate's
 * reason, and "send again" after a question), the reason staff gave for an unrostered clock-in, and
 * a flagged punch's review note (the liveness scores) and its audit snapshot when one was kept, and
 * a CSV export offered as a download link built from a Blob (no file system access); below them the
 * face registrations and removals still on their way (JobQueueSection). Times are shown in the
 * hotel's time zone.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { LedgerRow, SyncState } from '../../../shared/domain/ledger';
import { useKiosk } from '../api';
import { ledgerRetryRefusedKey } from '../i18n/codes';
import { useI18n, type PlainKey } from '../i18n/i18n';
import { AuditSnapshot } from './AuditSnapshot';
import { ConfirmAction } from './ConfirmAction';
import { JobQueueSection } from './JobQueueSection';
import { useRequestFailure } from './request-failure';

type Filter = 'all' | SyncState;
const FILTERS: Filter[] = ['all', 'pending', 'sending', 'needs_review', 'synced', 'cancelled'];

/**
 * A synced punch is late when it reached HotelMate this long after it happened or later: the
 * kiosk waits 2.5 s for HotelMate before telling staff "saved offline", so any punch marked here
 * is one whose person was told it would sync later. HotelMate records the time a punch arrives,
 * so its time is off by exactly this delay.
 */
const LATE_SECONDS = 3;

export function LedgerPanel(): ReactNode {
  const api = useKiosk();
  const { t, formatDateTime, formatDuration, formatTime, timeZone } = useI18n();
  const [filter, setFilter] = useState<Filter>('all');
  const [rows, setRows] = useState<LedgerRow[] | null>(null);
  const { failure, fail, clear } = useRequestFailure();
  const [csvUrl, setCsvUrl] = useState<string | null>(null);
  /** What became of the last "send again": queued, or why not. */
  const [retried, setRetried] = useState<{ ok: boolean; key: PlainKey } | null>(null);

  const load = useCallback(async (): Promise<void> => {
    try {
      setRows(await api.invoke('ledger:list', filter === 'all' ? { limit: 200 } : { state: filter, limit: 200 }));
      clear();
    } catch (e) {
      fail('ledger:list failed', e);
    }
  }, [api, filter, fail, clear]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(
    () => () => {
      if (csvUrl) URL.revokeObjectURL(csvUrl);
    },
    [csvUrl],
  );

  const retry = async (row: LedgerRow): Promise<void> => {
    try {
      const result = await api.invoke('ledger:retry', row.eventId);
      setRetried(result.ok ? { ok: true, key: 'ledger.retried' } : { ok: false, key: ledgerRetryRefusedKey(result.error.code) });
    } catch (e) {
      fail('ledger:retry failed', e);
    }
    await load();
  };

  const exportCsv = async (): Promise<void> => {
    try {
      const { csv } = await api.invoke('ledger:exportCsv');
      setCsvUrl(URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' })));
    } catch (e) {
      fail('ledger:exportCsv failed', e);
    }
  };

  return (
    <section aria-labelledby="ledger-title" className="ledger">
      <h2 id="ledger-title">{t('ledger.title')}</h2>
      <div className="row">
        <label className="field field--inline">
          <span>{t('ledger.filter')}</span>
          <select value={filter} onChange={(e) => setFilter(e.target.value as Filter)} data-testid="ledger-filter">
            {FILTERS.map((f) => (
              <option key={f} value={f}>
                {f === 'all' ? t('ledger.all') : t(`ledger.${f}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn btn--secondary" onClick={() => void load()}>
          {t('diag.refresh')}
        </button>
        <button type="button" className="btn btn--primary" onClick={() => void exportCsv()}>
          {t('ledger.export')}
        </button>
        {csvUrl && (
          <a className="btn btn--link" href={csvUrl} download="punches.csv" data-testid="csv-link">
            {t('ledger.download')}
          </a>
        )}
      </div>
      {failure && <p role="alert" className="msg msg--bad">{t(failure)}</p>}
      {retried && (
        <p role={retried.ok ? 'status' : 'alert'} className={retried.ok ? 'msg msg--ok' : 'msg msg--bad'} data-testid="ledger-retried">
          {t(retried.key)}
        </p>
      )}
      <p className="ledger__zone" data-testid="ledger-zone">
        {t('ledger.zone', { zone: timeZone })}
      </p>
      {rows === null ? (
        <p>{t('admin.loading')}</p>
      ) : rows.length === 0 ? (
        <p>{t('ledger.empty')}</p>
      ) : (
        <table className="table" data-testid="ledger-table">
          <thead>
            <tr>
              <th scope="col">{t('ledger.when')}</th>
              <th scope="col">{t('ledger.who')}</th>
              <th scope="col">{t('ledger.action')}</th>
              <th scope="col">{t('ledger.state')}</th>
              <th scope="col">{t('ledger.detail')}</th>
              <th scope="col">
                <span className="sr-only">{t('ledger.retry')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const late = row.syncState === 'synced' && row.delaySeconds !== null && row.delaySeconds >= LATE_SECONDS;
              const retrying = (row.syncState === 'pending' || row.syncState === 'sending') && row.attempts > 0;
              return (
                <tr key={row.eventId} className={`ledger__row ledger__row--${row.syncState}`}>
                  <td>{formatDateTime(row.occurredAt)}</td>
                  <td>{row.staffName ?? `#${row.staffId}`}</td>
                  <td>{t(`action.${row.action}`)}</td>
                  <td>
                    {t(`ledger.${row.syncState}`)}
                    {row.flagged && ` · ${t('ledger.flagged')}`}
                  </td>
                  <td className="ledger__detail">
                    {row.manual && (
                      <span data-testid="ledger-manual">
                        {row.manual.approver === 'manager_face' ? t('ledger.manualFace', { name: row.manual.manager.name }) : t('ledger.manual')}
                        {row.manual.note ? ` · ${t('ledger.manualNote', { note: row.manual.note })}` : ''}
                      </span>
                    )}
                    {row.flagged && row.reviewNote && <span data-testid="ledger-review-note">{row.reviewNote}</span>}
                    {row.hasSnapshot && <AuditSnapshot eventId={row.eventId} who={row.staffName ?? `#${row.staffId}`} />}
                    {row.reason && !row.manual && <span data-testid="ledger-reason">{t('ledger.reason', { reason: row.reason })}</span>}
                    {late && row.delaySeconds !== null && (
                      <span data-testid="ledger-late">
                        {t('ledger.late', { delay: formatDuration(row.delaySeconds), time: row.syncedAt ? formatTime(row.syncedAt, true) : '—' })}
                      </span>
                    )}
                    {row.syncState === 'needs_review' && row.lastError && <span>{row.lastError}</span>}
                    {retrying && <span>{t('ledger.retrying', { n: row.attempts })}</span>}
                  </td>
                  <td>
                    {row.syncState === 'needs_review' && (
                      <ConfirmAction
                        label={t('ledger.retry')}
                        subject={`${row.staffName ?? `#${row.staffId}`}, ${formatDateTime(row.occurredAt)}`}
                        question={t('ledger.retryConfirm')}
                        yes={t('ledger.retryYes')}
                        no={t('ledger.cancel')}
                        testId="ledger-retry"
                        onConfirm={() => void retry(row)}
                      />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <JobQueueSection />
    </section>
  );
}
