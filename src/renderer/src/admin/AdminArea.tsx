/** The manager area behind the PIN: tabs for setup, enrolment, punches, diagnostics and system. */
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { AdminNotices } from '../screens/AdminNotices';
import { DiagnosticsPanel } from './DiagnosticsPanel';
import { LedgerPanel } from './LedgerPanel';
import { SetupPanel } from './SetupPanel';
import { StaffPanel } from './StaffPanel';
import { SystemPanel } from './SystemPanel';

const TABS = ['setup', 'staff', 'ledger', 'diagnostics', 'system'] as const;
type Tab = (typeof TABS)[number];

export function AdminArea(props: {
  onLock: () => void;
  onActivity: () => void;
  initialTab?: Tab;
  /** Opens straight on this person's enrolment ("Enrol now" after a punch without a face). */
  enrolStaffId?: number | null;
}): ReactNode {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>(props.initialTab ?? 'staff');
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);

  // Arrow keys move between tabs (WAI-ARIA tabs pattern).
  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>, index: number): void => {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    event.preventDefault();
    const next = (index + delta + TABS.length) % TABS.length;
    setTab(TABS[next]);
    tabRefs.current[next]?.focus();
  };

  return (
    <main className="screen admin" data-testid="admin" onPointerDown={props.onActivity} onKeyDown={props.onActivity}>
      <header className="admin__top">
        <h1>{t('admin.title')}</h1>
        <button type="button" className="btn btn--secondary" onClick={props.onLock}>
          {t('admin.lock')}
        </button>
      </header>
      <AdminNotices />
      <div role="tablist" aria-label={t('admin.title')} className="tabs">
        {TABS.map((id, index) => (
          <button
            key={id}
            ref={(el) => {
              tabRefs.current[index] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            className={`tabs__tab ${tab === id ? 'is-active' : ''}`}
            onClick={() => setTab(id)}
            onKeyDown={(e) => onTabKey(e, index)}
          >
            {t(`admin.tab.${id}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="admin__panel" tabIndex={0}>
        {tab === 'setup' && <SetupPanel />}
        {tab === 'staff' && <StaffPanel enrolStaffId={props.enrolStaffId ?? null} />}
        {tab === 'ledger' && <LedgerPanel />}
        {tab === 'diagnostics' && <DiagnosticsPanel />}
        {tab === 'system' && <SystemPanel />}
      </div>
    </main>
  );
}
