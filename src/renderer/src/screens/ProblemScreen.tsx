/**
 * The problem screen's parts, shown by the setup screen (which replaces the idle screen while a
 * blocking problem stops punching: a damaged or missing punch database, unreadable faces, a failed
 * start). Staff read that punching is stopped, that their saved punches are safe and to tell a
 * manager; a manager enters the PIN and gets the way out (restore the records, set unreadable faces
 * aside) and the diagnostics export. Every problem shows what to do in the reader's language and
 * main's own detail for support.
 */
import { useState, type ReactNode } from 'react';
import { type KioskProblem, type ProblemAction, PROBLEM_ACTIONS } from '../../../shared/domain/problems';
import { reportError, useKiosk } from '../api';
import { DiagnosticsPanel } from '../admin/DiagnosticsPanel';
import { useI18n } from '../i18n/i18n';

/** One problem: its title, what to do, and main's detail folded away for support. */
export function ProblemItem(props: { problem: KioskProblem }): ReactNode {
  const { t } = useI18n();
  const { code, detail } = props.problem;
  return (
    <li className="problem" data-testid={`problem-${code}`}>
      <strong>{t(`problem.${code}.title` as const)}</strong>
      <p>{t(`problem.${code}.todo` as const)}</p>
      <details className="msg__details">
        <summary>{t('setup.details')}</summary>
        <code lang="en">{detail}</code>
      </details>
    </li>
  );
}

/** The actions a manager may take for these problems, each once. */
function actionsFor(problems: readonly KioskProblem[]): ProblemAction[] {
  const actions = problems.map((p) => PROBLEM_ACTIONS[p.code]).filter((a): a is ProblemAction => a !== undefined);
  return [...new Set(actions)];
}

/** A manager's button for one way out; main restarts the kiosk when it worked. */
function ProblemActionButton(props: { action: ProblemAction }): ReactNode {
  const api = useKiosk();
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const run = async (): Promise<void> => {
    setBusy(true);
    try {
      const result = await api.invoke('admin:resolveProblem', props.action);
      if (result.ok) setOutcome({ ok: true, text: t('problem.action.restarting') });
      else {
        reportError(api, `admin:resolveProblem ${props.action} refused`, result.error.message);
        setOutcome({ ok: false, text: t(result.error.code === 'not_possible' ? 'problem.action.notPossible' : 'problem.action.failed') });
      }
    } catch (error) {
      reportError(api, 'admin:resolveProblem failed', error);
      setOutcome({ ok: false, text: t('problem.action.failed') });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="problem__action">
      <button type="button" className="btn btn--large btn--primary" disabled={busy || outcome?.ok === true} onClick={() => void run()} data-testid={`problem-action-${props.action}`}>
        {t(`problem.action.${props.action}` as const)}
      </button>
      {outcome && (
        <p role={outcome.ok ? 'status' : 'alert'} className={outcome.ok ? 'msg msg--ok' : 'msg msg--bad'}>
          {outcome.text}
        </p>
      )}
    </div>
  );
}

export interface ProblemSectionsProps {
  problems: readonly KioskProblem[];
  /** The admin session: the ways out show only to an unlocked manager. */
  unlocked: boolean;
}

/**
 * What the setup screen shows first when the kiosk found problems: the blocking ones as "punching is
 * stopped" with what to do (and, for an unlocked manager, the ways out and the diagnostics export),
 * the others as notices for an unlocked manager.
 */
export function ProblemSections(props: ProblemSectionsProps): ReactNode {
  const { t } = useI18n();
  const blocking = props.problems.filter((p) => p.blocking);
  // Notices are for managers (after the PIN); the keyring state lives on the diagnostics tab.
  const notices = props.unlocked ? props.problems.filter((p) => !p.blocking && p.code !== 'secrets_unprotected') : [];
  const actions = actionsFor(blocking);
  return (
    <>
      {blocking.length > 0 && (
        <section className="msg msg--bad" role="alert" aria-labelledby="problem-title" data-testid="problem-screen">
          <h2 id="problem-title">{t('problem.stopped')}</h2>
          <p>{t('problem.staffHelp')}</p>
          <ul className="problems">
            {blocking.map((problem) => (
              <ProblemItem key={problem.code} problem={problem} />
            ))}
          </ul>
          {!props.unlocked && <p>{t('problem.managerHelp')}</p>}
        </section>
      )}
      {notices.length > 0 && (
        <section className="msg msg--warn" aria-labelledby="problem-notices" data-testid="problem-notices">
          <h2 id="problem-notices">{t('problem.notices')}</h2>
          <ul className="problems">
            {notices.map((problem) => (
              <ProblemItem key={problem.code} problem={problem} />
            ))}
          </ul>
        </section>
      )}
      {props.unlocked && blocking.length > 0 && (
        <section className="card" aria-labelledby="problem-managers">
          <h2 id="problem-managers">{t('problem.managers')}</h2>
          {actions.map((action) => (
            <ProblemActionButton key={action} action={action} />
          ))}
          <DiagnosticsPanel />
        </section>
      )}
    </>
  );
}
