/**
 * The face registrations and removals on their way to HotelMate (the job queue), waiting or
 * failed, with their reason: a manager can retry a failed one or discard one (after a question
 * that says what is lost). Shown in the admin ledger under the punches.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { QueuedJob } from '../../../shared/domain/jobs';
import { useKiosk } from '../api';
import { JOB_DISCARD_KEYS, JOB_KIND_KEYS, JOB_STATE_KEYS, keyForCode } from '../i18n/codes';
import { useI18n } from '../i18n/i18n';
import { ConfirmAction } from './ConfirmAction';
import { useRequestFailure } from './request-failure';

export function JobQueueSection(): ReactNode {
  const api = useKiosk();
  const { t, formatDateTime } = useI18n();
  const [jobs, setJobs] = useState<QueuedJob[] | null>(null);
  const [changed, setChanged] = useState(false);
  const { failure, fail, clear } = useRequestFailure();

  const load = useCallback(async (): Promise<void> => {
    try {
      setJobs(await api.invoke('jobs:list', { limit: 200 }));
      clear();
    } catch (e) {
      fail('jobs:list failed', e);
    }
  }, [api, fail, clear]);

  useEffect(() => {
    void load();
  }, [load]);

  const act = async (channel: 'jobs:retry' | 'jobs:discard', job: QueuedJob): Promise<void> => {
    try {
      const result = await api.invoke(channel, job.id);
      setChanged(!result.ok);
    } catch (e) {
      fail(`${channel} failed`, e);
    }
    await load();
  };

  const who = (job: QueuedJob): string => job.staffName ?? (job.staffId !== null ? `#${job.staffId}` : '—');

  return (
    <section aria-labelledby="jobs-title" className="jobs" data-testid="jobs">
      <h3 id="jobs-title">{t('jobs.title')}</h3>
      <p>{t('jobs.help')}</p>
      {failure && <p role="alert" className="msg msg--bad">{t(failure)}</p>}
      {changed && <p role="status" className="msg">{t('jobs.changed')}</p>}
      {jobs === null ? (
        <p>{t('admin.loading')}</p>
      ) : jobs.length === 0 ? (
        <p data-testid="jobs-empty">{t('jobs.empty')}</p>
      ) : (
        <table className="table" data-testid="jobs-table">
          <thead>
            <tr>
              <th scope="col">{t('jobs.since')}</th>
              <th scope="col">{t('ledger.who')}</th>
              <th scope="col">{t('jobs.what')}</th>
              <th scope="col">{t('ledger.state')}</th>
              <th scope="col">{t('ledger.detail')}</th>
              <th scope="col">
                <span className="sr-only">{t('jobs.retry')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr key={job.id} className={`ledger__row ledger__row--${job.state === 'failed' ? 'needs_review' : 'pending'}`}>
                <td>{formatDateTime(job.createdAt)}</td>
                <td>{who(job)}</td>
                <td>{t(keyForCode(JOB_KIND_KEYS, job.kind, 'jobs.kind.other'))}</td>
                <td>
                  {t(JOB_STATE_KEYS[job.state])} · {t('jobs.attempts', { n: job.attempts })}
                </td>
                <td>{job.lastError}</td>
                <td>
                  {job.state === 'failed' && (
                    <ConfirmAction
                      label={t('jobs.retry')}
                      subject={who(job)}
                      question={t('jobs.retryConfirm')}
                      yes={t('jobs.yes')}
                      no={t('ledger.cancel')}
                      testId="job-retry"
                      onConfirm={() => void act('jobs:retry', job)}
                    />
                  )}
                  {job.state !== 'running' && (
                    <ConfirmAction
                      label={t('jobs.discard')}
                      subject={who(job)}
                      question={t(keyForCode(JOB_DISCARD_KEYS, job.kind, 'jobs.discardConfirm.other'))}
                      yes={t('jobs.yes')}
                      no={t('ledger.cancel')}
                      danger
                      testId="job-discard"
                      onConfirm={() => void act('jobs:discard', job)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
