/**
 * Staff enrolment: find a person (search with the on-screen keyboard), show the consent text main
 * gives for the person's language and record their agreement to exactly that text, then follow
 * `enrol:progress` while main captures their face (its hints and failure codes shown as translated
 * sentences). Enrolled staff can be enrolled again ("Re-enrol") or removed; faces removed because
 * HotelMate said the person left are listed too.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { ConsentText, EnrolledPerson, EnrolmentStep, LeaverRemoval, StaffListEntry } from '../../../shared/domain/enrolment';
import type { Language } from '../../../shared/domain/types';
import { reportError, useKiosk, useKioskEvent, useLiveValue } from '../api';
import { CameraPreview } from '../components/CameraPreview';
import { KeyboardTextField } from '../components/keyboard';
import { enrolmentFailureText, enrolmentHintText } from '../i18n/codes';
import { translate, useI18n } from '../i18n/i18n';
import { LanguageChoice } from './LanguageChoice';
import { useRequestFailure } from './request-failure';
import { searchable } from './search-text';

/** Staff whose name or department contains every word of the query (accents and case ignored). Pure. */
export function filterStaff(staff: readonly StaffListEntry[], query: string): StaffListEntry[] {
  const words = searchable(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...staff];
  return staff.filter((person) => {
    const text = searchable(`${person.name} ${person.department ?? ''}`);
    return words.every((word) => text.includes(word));
  });
}

export function StaffPanel(props: { enrolStaffId?: number | null } = {}): ReactNode {
  const api = useKiosk();
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const [staff, setStaff] = useState<StaffListEntry[] | null>(null);
  const [enrolled, setEnrolled] = useState<EnrolledPerson[]>([]);
  const [leavers, setLeavers] = useState<LeaverRemoval[]>([]);
  const { failure, fail, clear } = useRequestFailure();
  const [query, setQuery] = useState('');
  const [consentFor, setConsentFor] = useState<StaffListEntry | null>(null);
  const [consentLanguage, setConsentLanguage] = useState<Language>(i18n.language);
  const [consent, setConsent] = useState<ConsentText | null>(null);
  const [agreed, setAgreed] = useState(false);
  const [step, setStep] = useState<EnrolmentStep>({ state: 'idle' });
  const [removing, setRemoving] = useState<EnrolledPerson | null>(null);
  const camera = useLiveValue('camera:status');

  const load = useCallback(async (): Promise<void> => {
    try {
      const [list, people, left] = await Promise.all([api.invoke('staff:list'), api.invoke('enrol:list'), api.invoke('enrol:leavers')]);
      setStaff(list);
      setEnrolled(people);
      setLeavers(left);
      clear();
    } catch (e) {
      fail('staff:list / enrol:list / enrol:leavers failed', e);
    }
  }, [api, fail, clear]);

  useEffect(() => {
    void load();
  }, [load]);

  // The consent text comes from main, in the language chosen for the person: what is shown is what is stored.
  useEffect(() => {
    if (!consentFor) return undefined;
    let live = true;
    setConsent(null);
    api.invoke('enrol:consent', consentLanguage).then(
      (text) => live && setConsent(text),
      (error: unknown) => {
        if (live) fail('enrol:consent failed', error);
      },
    );
    return () => {
      live = false;
    };
  }, [api, consentFor, consentLanguage, fail]);

  // "Enrol now" after a punch without a face: that person's consent step opens once the list is here.
  const [opened, setOpened] = useState(false);
  useEffect(() => {
    if (opened || !staff || !props.enrolStaffId) return;
    setOpened(true);
    const person = staff.find((p) => p.id === props.enrolStaffId);
    if (person) openConsent(person);
  });

  useKioskEvent('enrol:progress', (next) => {
    setStep(next);
    if (next.state === 'done') void load();
  });

  const openConsent = (person: StaffListEntry): void => {
    setAgreed(false);
    setStep({ state: 'idle' });
    setConsentLanguage(i18n.language);
    setConsentFor(person);
  };

  const start = async (): Promise<void> => {
    if (!consentFor || !agreed || !consent) return;
    try {
      setStep(await api.invoke('enrol:start', { staffId: consentFor.id, consent: true, consentLanguage: consent.language, consentHash: consent.hash }));
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
  const shown = filterStaff(staff, query);
  return (
    <div className="staff">
      {failure && <p role="alert" className="msg msg--bad">{t(failure)}</p>}
      {consentFor ? (
        <section className="consent" aria-labelledby="consent-title" data-testid="consent">
          <h2 id="consent-title">{t('staff.consentTitle')}</h2>
          <LanguageChoice
            look="compact"
            label={t('staff.consentLanguage')}
            value={consentLanguage}
            onChange={setConsentLanguage}
            disabled={step.state === 'capturing'}
          />
          <p className="consent__text" lang={consentLanguage} data-testid="consent-text">
            {consent ? consent.text : t('admin.loading')}
          </p>
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
                <button type="button" className="btn btn--primary" disabled={!agreed || !consent} onClick={() => void start()}>
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
          <KeyboardTextField label={t('staff.search')} hint={t('staff.searchHint')} value={query} onChange={setQuery} testId="staff-search" />
          {shown.length === 0 ? (
            <p role="status">{t('staff.noMatch', { query: query.trim() })}</p>
          ) : (
            <table className="table" data-testid="staff-table">
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
                {shown.map((person) => {
                  const action = person.enrolled ? t('staff.reenrol') : t('staff.enrol');
                  return (
                    <tr key={person.id}>
                      <td>{person.name}</td>
                      <td>{person.department ?? '—'}</td>
                      <td>{person.enrolled ? t('staff.enrolled') : t('staff.notEnrolled')}</td>
                      <td>
                        <button
                          type="button"
                          className={`btn btn--small ${person.enrolled ? 'btn--secondary' : ''}`}
                          aria-label={`${action}: ${person.name}`}
                          onClick={() => openConsent(person)}
                        >
                          {action}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
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
                  <td>
                    {person.consentAt ? formatDateTime(person.consentAt) : '—'}
                    {person.consentLanguage && person.consentVersion
                      ? ` (${t('staff.consentVersion', { language: translate(person.consentLanguage, 'lang.name'), version: person.consentVersion })})`
                      : ''}
                  </td>
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

      {leavers.length > 0 && (
        <section aria-labelledby="leavers-title" data-testid="leavers">
          <h2 id="leavers-title">{t('staff.leavers')}</h2>
          <p>{t('staff.leaversHelp')}</p>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('ledger.who')}</th>
                <th scope="col">{t('ledger.when')}</th>
                <th scope="col">{t('staff.leaverWhy')}</th>
                <th scope="col">{t('staff.server')}</th>
              </tr>
            </thead>
            <tbody>
              {leavers.map((removal) => (
                <tr key={`${removal.staffId}-${removal.at}`}>
                  <td>{removal.name ?? `#${removal.staffId}`}</td>
                  <td>{formatDateTime(removal.at)}</td>
                  <td>{t(`staff.leaver.${removal.reason}`)}</td>
                  <td>{t(`staff.leaver.${removal.server}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
