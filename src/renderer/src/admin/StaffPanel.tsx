/**
 * Staff enrolment: pick a person, show the consent text and record their agreement, then follow
 * `enrol:progress` while main captures their face (its hints and failure codes shown as translated
 * sentences); plus the enrolled list with remove.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { EnrolledPerson, EnrolmentStep, StaffListEntry } from '../../../shared/domain/enrolment';
import { reportError, useKiosk, useKioskEvent, useLiveValue } from '../api';
import { CameraPreview } from '../components/CameraPreview';
import { enrolmentFailureText, enrolmentHintText } from '../i18n/codes';
import { useI18n } from '../i18n/i18n';
import { useRequestFailure } from './request-failure';

export function StaffPanel(): ReactNode {
  const api = useKiosk();
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const [staff, setStaff] = useState<StaffListEntry[] | null>(null);
  const [enrolled, setEnrolled] = useState<EnrolledPerson[]>([]);
  const { failure, fail, clear } = useRequestFailure();
  const [consentFor, setConsentFor] = useState<StaffListEntry | null>(null);
  const [agreed, setAgreed] = useState(false);
  const [step, setStep] = useState<EnrolmentStep>({ state: 'idle' });
  const [removing, setRemoving] = useState<EnrolledPerson | null>(null);
  const camera = useLiveValue('camera:status');

  const load = useCallback(async (): Promise<void> => {
    try {
      const [list, people] = await Promise.all([api.invoke('staff:list'), api.invoke('enrol:list')]);
      setStaff(list);
      setEnrolled(people);
      clear();
    } catch (e) {
      fail('staff:list / enrol:list failed', e);
    }
  }, [api, fail, clear]);

  useEffect(() => {
    void load();
  }, [load]);

  useKioskEvent('enrol:progress', (next) => {
    setStep(next);
    if (next.state === 'done') void load();
  });

  const start = async (): Promise<void> => {
    if (!consentFor || !agreed) return;
    try {
      setStep(await api.invoke('enrol:start', { staffId: consentFor.id, consent: true }));
    } catch (e) {
      reportError(api, 'enrol:start failed', e);
      setStep({ state: 'failed', staffId: consentFor.id, reason: 'request_failed' });
    }
  };

  const cancel = async (): Promise<void> => {
    try {
      setStep(await api.invoke('enrol:cancel'));
    } catch (e) {
      fail('enrol:cancel failed', e);
    }
    setConsentFor(null);
  };

  const remove = async (person: EnrolledPerson): Promise<void> => {
    try {
      await api.invoke('enrol:remove', person.staffId);
      setRemoving(null);
      await load();
    } catch (e) {
      fail('enrol:remove failed', e);
    }
  };

  if (failure && !staff) return <p role="alert">{t(failure)}</p>;
  if (!staff) return <p>{t('admin.loading')}</p>;

  const capturing = step.state === 'capturing';
  const nameOf = (staffId: number): string | null =>
    staff.find((p) => p.id === staffId)?.name ?? enrolled.find((p) => p.staffId === staffId)?.name ?? null;
  return (
    <div className="staff">
      {failure && <p role="alert" className="msg msg--bad">{t(failure)}</p>}
      {consentFor ? (
        <section className="consent" aria-labelledby="consent-title" data-testid="consent">
          <h2 id="consent-title">{t('staff.consentTitle')}</h2>
          <p className="consent__text">{t('staff.consentText')}</p>
          {step.state === 'idle' || (step.state !== 'capturing' && step.staffId !== consentFor.id) ? (
            <>
              <label className="check">
                <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.target.checked)} />
                <span>{t('staff.consentCheck', { name: consentFor.name })}</span>
              </label>
              <div className="row">
                <button type="button" className="btn btn--secondary" onClick={() => setConsentFor(null)}>
                  {t('staff.no')}
                </button>
                <button type="button" className="btn btn--primary" disabled={!agreed} onClick={() => void start()}>
                  {t('staff.start')}
                </button>
              </div>
            </>
          ) : (
            <div className="enrol">
              <CameraPreview status={camera} className="preview--small" caption={capturing && step.hint ? enrolmentHintText(i18n, step.hint) : null} />
              <p role="status" data-testid="enrol-step">
                {step.state === 'capturing' && t('staff.capturing', { captured: step.captured, needed: step.needed })}
                {step.state === 'done' && `${t('staff.done', { n: step.templates })}${step.queued ? ` — ${t('staff.queued')}` : ''}`}
                {step.state === 'failed' && `${t('staff.failed')} ${enrolmentFailureText(i18n, step.reason, nameOf)}`}
              </p>
              {capturing ? (
                <button type="button" className="btn btn--secondary" onClick={() => void cancel()}>
                  {t('staff.cancel')}
                </button>
              ) : (
                <button
                  type="button"
                  className="btn btn--primary"
                  onClick={() => {
                    setConsentFor(null);
                    setStep({ state: 'idle' });
                  }}
                >
                  {t('done.ok')}
                </button>
              )}
            </div>
          )}
        </section>
      ) : (
        <section aria-labelledby="staff-title">
          <h2 id="staff-title">{t('staff.title')}</h2>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('ledger.who')}</th>
                <th scope="col">{t('staff.department')}</th>
                <th scope="col">{t('ledger.state')}</th>
                <th scope="col">
                  <span className="sr-only">{t('staff.enrol')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {staff.map((person) => (
                <tr key={person.id}>
                  <td>{person.name}</td>
                  <td>{person.department ?? '—'}</td>
                  <td>{person.enrolled ? t('staff.enrolled') : t('staff.notEnrolled')}</td>
                  <td>
                    <button
                      type="button"
                      className="btn btn--small"
                      aria-label={`${t('staff.enrol')}: ${person.name}`}
                      onClick={() => {
                        setAgreed(false);
                        setStep({ state: 'idle' });
                        setConsentFor(person);
                      }}
                    >
                      {t('staff.enrol')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <section aria-labelledby="enrolled-title">
        <h2 id="enrolled-title">{t('staff.enrolledList')}</h2>
        {enrolled.length === 0 ? (
          <p>{t('staff.none')}</p>
        ) : (
          <table className="table" data-testid="enrolled">
            <thead>
              <tr>
                <th scope="col">{t('ledger.who')}</th>
                <th scope="col">{t('staff.templates')}</th>
                <th scope="col">{t('staff.consentAt')}</th>
                <th scope="col">{t('staff.server')}</th>
                <th scope="col">
                  <span className="sr-only">{t('staff.remove')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {enrolled.map((person) => (
                <tr key={person.staffId}>
                  <td>{person.name}</td>
                  <td>{person.templates}</td>
                  <td>{person.consentAt ? formatDateTime(person.consentAt) : '—'}</td>
                  <td>{person.registeredWithServer ? '✓' : '…'}</td>
                  <td>
                    {removing?.staffId === person.staffId ? (
                      <span className="row row--tight">
                        <span>{t('staff.removeConfirm', { name: person.name })}</span>
                        <button type="button" className="btn btn--small btn--danger" onClick={() => void remove(person)}>
                          {t('staff.yes')}
                        </button>
                        <button type="button" className="btn btn--small" onClick={() => setRemoving(null)}>
                          {t('staff.no')}
                        </button>
                      </span>
                    ) : (
                      <button
                        type="button"
                        className="btn btn--small"
                        aria-label={`${t('staff.remove')}: ${person.name}`}
                        onClick={() => setRemoving(person)}
                      >
                        {t('staff.remove')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
