/** The live on-duty board: who is on duty or on break right now, by department. */
import type { ReactNode } from 'react';
import type { OnDutyBoard } from '../../../shared/domain/types';
import { useI18n } from '../i18n/i18n';

export function DutyBoard(props: { board: OnDutyBoard | null }): ReactNode {
  const { t, formatTime } = useI18n();
  const departments = (props.board?.departments ?? []).filter((d) => d.entries.length > 0);
  return (
    // Focusable: when the idle screen has more to show (the camera-down help) the list scrolls, and a keyboard must reach it.
    <section className="board" aria-labelledby="board-title" data-testid="board" tabIndex={0}>
      <h2 id="board-title" className="board__title">
        {t('board.title')}
      </h2>
      {departments.length === 0 && <p className="board__empty">{t('board.empty')}</p>}
      {departments.map((dept) => (
        <div key={dept.name} className="board__dept">
          <h3>{dept.name}</h3>
          <ul>
            {dept.entries.map((entry) => (
              <li key={entry.staffId} className={`board__entry board__entry--${entry.status}`}>
                <span className="board__name">{entry.name}</span>
                <span className="board__status">
                  {entry.status === 'on_break' ? t('board.onBreak') : t('board.onDuty')}
                  {entry.since && ` · ${t('board.since', { time: formatTime(entry.since) })}`}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
