/** The big clock and date on the idle screen, in the hotel's time zone. */
import { useEffect, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

/** Re-renders every second; `now` is injectable for tests. */
export function LiveClock(props: { now?: () => number }): ReactNode {
  const { formatTime, formatDate } = useI18n();
  const now = props.now ?? Date.now;
  const [at, setAt] = useState(() => now());
  useEffect(() => {
    const timer = setInterval(() => setAt(now()), 1000);
    return () => clearInterval(timer);
  }, [now]);
  return (
    <div className="clock">
      <time className="clock__time" dateTime={new Date(at).toISOString()} data-testid="clock-time">
        {formatTime(at)}
      </time>
      <div className="clock__date" data-testid="clock-date">
        {formatDate(at)}
      </div>
    </div>
  );
}
