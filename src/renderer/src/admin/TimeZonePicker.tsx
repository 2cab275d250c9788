/**
 * The hotel's time zone, searchable with the on-screen keyboard: every zone Chromium knows
 * (`Intl.supportedValuesOf('timeZone')`), matched on the city or region name and on the zone's
 * long name in the screen's language ("Irish" finds Europe/Dublin), with the time there now.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { KeyboardTextField } from '../components/keyboard';
import { useI18n } from '../i18n/i18n';
import { searchable } from './search-text';
import './wizard/wizard.css';

/** How many matches are offered at once. */
const SHOWN = 8;

/** Every time zone this renderer knows, UTC included. */
export function allTimeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zones.includes('UTC') ? zones : [...zones, 'UTC'];
}

/** Whether a zone name is one the renderer knows (the config accepts any text). */
export function isKnownTimeZone(zone: string): boolean {
  return allTimeZones().includes(zone);
}

/** "Europe / Dublin" for "Europe/Dublin". Pure. */
export function zoneLabel(zone: string): string {
  return zone.replace(/_/g, ' ').replace(/\//g, ' / ');
}

const longNames = new Map<string, string | null>();

/** The zone's long name in `locale` ("Irish Standard Time"), or null when Intl has none (cached: formatters are slow to build). */
function longName(zone: string, locale: string): string | null {
  const key = `${locale}|${zone}`;
  if (longNames.has(key)) return longNames.get(key) ?? null;
  let name: string | null = null;
  try {
    const part = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'long' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName');
    name = part?.value ?? null;
  } catch {
    name = null;
  }
  longNames.set(key, name);
  return name;
}

/**
 * The zones matching `query` (every word must appear in the zone or its long name), best first:
 * a zone whose city starts with the query comes before one that merely contains it. Pure apart
 * from Intl.
 */
export function matchTimeZones(query: string, zones: readonly string[], locale: string): string[] {
  const words = searchable(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const scored: { zone: string; score: number }[] = [];
  for (const zone of zones) {
    const haystack = `${searchable(zone)} ${searchable(longName(zone, locale) ?? '')}`;
    if (!words.every((word) => haystack.includes(word))) continue;
    const city = searchable(zone.split('/').at(-1) ?? zone);
    scored.push({ zone, score: city.startsWith(words[0] ?? '') ? 0 : 1 });
  }
  return scored.sort((a, b) => a.score - b.score || a.zone.localeCompare(b.zone)).map((s) => s.zone);
}

export interface TimeZonePickerProps {
  value: string;
  onChange: (zone: string) => void;
  error?: string | null;
  onActivity?: () => void;
}

export function TimeZonePicker(props: TimeZonePickerProps): ReactNode {
  const { t, locale } = useI18n();
  const [query, setQuery] = useState('');
  const zones = useMemo(allTimeZones, []);
  const matches = useMemo(() => matchTimeZones(query, zones, locale).slice(0, SHOWN), [query, zones, locale]);
  const nowIn = (zone: string): string => {
    try {
      return new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date());
    } catch {
      return '';
    }
  };
  return (
    <div className="tz-picker" data-testid="timezone-picker">
      <p className="msg msg--ok" data-testid="timezone-current">
        {t('setup.tzChosen', { zone: zoneLabel(props.value), time: nowIn(props.value) })}
      </p>
      <KeyboardTextField
        label={t('setup.tzSearch')}
        hint={t('setup.tzSearchHint')}
        value={query}
        onChange={setQuery}
        error={props.error}
        onActivity={props.onActivity}
        testId="timezone-search"
      />
      {query.trim() !== '' &&
        (matches.length === 0 ? (
          <p role="status">{t('setup.tzNone')}</p>
        ) : (
          <div role="radiogroup" aria-label={t('setup.tzResults')} className="tz-picker__list">
            {matches.map((zone) => (
              <button
                key={zone}
                type="button"
                role="radio"
                aria-checked={props.value === zone}
                className={`btn btn--option ${props.value === zone ? 'is-active' : ''}`}
                onClick={() => props.onChange(zone)}
              >
                {zoneLabel(zone)} · {nowIn(zone)}
              </button>
            ))}
          </div>
        ))}
    </div>
  );
}
