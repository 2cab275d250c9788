/**
 * The kiosk's one configuration, validated with zod. Pure: loading, environment overrides and
 * persistence live in main (src/main/config). Secrets (API token) are NOT here; they live in the
 * secret store. The admin PIN is stored only as a salted slow hash.
 */
import { z } from 'zod';

/**
 * The liveness modes, weakest first: `off` (no check), `passive` (the passive model alone: a clear
 * photo or screen is refused, a doubtful score flags the punch), `challenge_when_doubtful` (a live
 * score passes at once, anything else is asked for a head turn) and `always_challenge` (a head turn
 * at every recognition). What each stops: README "Liveness" and docs/threat-model.md.
 */
export const LIVENESS_MODES = ['off', 'passive', 'challenge_when_doubtful', 'always_challenge'] as const;
export type LivenessMode = (typeof LIVENESS_MODES)[number];

/**
 * Config files written before the liveness modes had `recognition.antiSpoof`: true becomes the
 * default mode, false becomes off; a `liveness` already there wins. Anything else in `antiSpoof` is
 * reported against that field (so it alone is dropped).
 */
function migrateAntiSpoof(input: unknown, ctx: z.RefinementCtx): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input) || !('antiSpoof' in input)) return input;
  const { antiSpoof, ...rest } = input as Record<string, unknown>;
  if (typeof antiSpoof !== 'boolean') {
    ctx.addIssue({ code: 'custom', path: ['antiSpoof'], message: 'must be true or false (it is now recognition.liveness)' });
    return input;
  }
  return { ...rest, liveness: rest.liveness ?? (antiSpoof ? 'challenge_when_doubtful' : 'off') };
}

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, 'must be a hotel slug like "hotel-killarney"');

export const kioskConfigSchema = z
  .object({
    hotel: z
      .object({
        slug: slug.or(z.literal('')).default(''),
        name: z.string().max(200).default(''),
        timeZone: z.string().min(1).default('Europe/Dublin'),
      })
      .strict()
      .default({ slug: '', name: '', timeZone: 'Europe/Dublin' }),
    api: z
      .object({
        /** Base URL including `/api`, e.g. https://hotel.example.com/api (https only; see apiUrlProblem). */
        baseUrl: z.string().url('must be a URL like https://host/api').or(z.literal('')).default(''),
        accountName: z.string().max(200).nullable().default(null),
        timeoutMs: z.number().int().min(1000).max(120000).default(15000),
        /** How often a cheap probe checks the server while offline. */
        probeIntervalSeconds: z.number().int().min(5).max(3600).default(30),
        /**
         * Lab setups only: allow a plain `http:` API URL on another machine. The token and the
         * kiosk account's password then cross the network in clear text; the screens say so.
         */
        allowInsecureHttp: z.boolean().default(false),
      })
      .strict()
      .superRefine((api, ctx) => {
        const problem = apiUrlProblem(api.baseUrl, api.allowInsecureHttp);
        if (problem) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: problem });
      })
      .default({ baseUrl: '', accountName: null, timeoutMs: 15000, probeIntervalSeconds: 30, allowInsecureHttp: false }),
    kiosk: z
      .object({
        id: z.string().min(1).max(100).default('kiosk'),
        locationNote: z.string().max(255).default('Lobby kiosk'),
      })
      .strict()
      .default({ id: 'kiosk', locationNote: 'Lobby kiosk' }),
    pusher: z
      .object({
        enabled: z.boolean().default(false),
        key: z.string().max(200).default(''),
        cluster: z.string().max(50).default('eu'),
        /** Self-hosted Pusher-protocol server (soketi etc.); empty means Pusher's cloud. */
        host: z.string().max(253).default(''),
        port: z.number().int().min(1).max(65535).default(443),
        useTLS: z.boolean().default(true),
        /** Subscribe to `private-` variants through HotelMate's auth endpoint. */
        privateChannels: z.boolean().default(false),
      })
      .strict()
      .default({ enabled: false, key: '', cluster: 'eu', host: '', port: 443, useTLS: true, privateChannels: false }),
    camera: z
      .object({
        /** 'auto', a device id from the camera list (e.g. /dev/video0), or file:<path> for demos/tests. */
        device: z.string().min(1).max(1000).default('auto'),
        width: z.number().int().min(160).max(1920).default(640),
        height: z.number().int().min(120).max(1080).default(480),
        fps: z.number().int().min(1).max(60).default(15),
        previewWidth: z.number().int().min(80).max(1280).default(320),
      })
      .strict()
      .default({ device: 'auto', width: 640, height: 480, fps: 15, previewWidth: 320 }),
    recognition: z.preprocess(
      migrateAntiSpoof,
      z
        .object({
          /**
           * Local accept threshold (euclidean); stricter than HotelMate's 0.6. 0.48 from the distance
           * distributions (bench/face-recognition.bench.ts): the closest different people known are
           * 0.51 (famous lookalikes) and 0.527 (unseen faces), and bad light or a tilted head brings
           * different people up to 0.05 closer; at 0.48 the enrolment flow recognises every held-out
           * shared photo, one enrolment photo 91.7 %. Higher buys only one-photo recognition (97 % at
           * 0.55) for a 24 times larger chance that a stranger falls under it.
           */
          threshold: z.number().min(0.2).max(0.6).default(0.48),
          /**
           * Required gap between the best and the second-best person: about one standard deviation of
           * same-person distances (0.067), so two enrolled lookalikes are not told apart by noise.
           */
          margin: z.number().min(0).max(0.5).default(0.08),
          /** Consecutive agreeing frames before a name is shown. */
          agreeFrames: z.number().int().min(1).max(10).default(3),
          /**
           * How the kiosk makes sure a live person is in front of it (LIVENESS_MODES): off, the
           * passive model alone, the passive model with a head-turn challenge when its score is in
           * doubt (the default), or a challenge at every recognition. Replaces `antiSpoof` (true
           * became the default, false became off).
           */
          liveness: z.enum(LIVENESS_MODES).default('challenge_when_doubtful'),
          /** Keep an encrypted photo of the face with every punch, for managers, for `retention.snapshotDays`. */
          auditSnapshots: z.boolean().default(false),
        })
        .strict(),
    ).default({ threshold: 0.48, margin: 0.08, agreeFrames: 3, liveness: 'challenge_when_doubtful', auditSnapshots: false }),
    ui: z
      .object({
        language: z.enum(['en', 'pl', 'es']).default('en'),
        showBoard: z.boolean().default(true),
        /** Seconds the greeting stays before the privacy reset to idle. */
        greetingTimeoutSeconds: z.number().int().min(3).max(120).default(15),
        /** A short sound confirms each punch (off for a kiosk where it disturbs). */
        sound: z.boolean().default(true),
        /** The high-contrast theme (black, white and yellow; larger outlines). */
        highContrast: z.boolean().default(false),
      })
      .strict()
      .default({ language: 'en', showBoard: true, greetingTimeoutSeconds: 15, sound: true, highContrast: false }),
    admin: z
      .object({
        /** The PIN's scrypt hash (also kept in the database, which wins); "" counts as none. */
        pinHash: z
          .string()
          .max(500)
          .nullable()
          .default(null)
          .transform((hash) => (hash === '' ? null : hash)),
        maxAttempts: z.number().int().min(1).max(20).default(5),
        lockoutMinutes: z.number().int().min(1).max(1440).default(5),
      })
      .strict()
      .default({ pinHash: null, maxAttempts: 5, lockoutMinutes: 5 }),
    retention: z
      .object({
        syncedDays: z.number().int().min(1).max(3650).default(90),
        snapshotDays: z.number().int().min(1).max(365).default(30),
      })
      .strict()
      .default({ syncedDays: 90, snapshotDays: 30 }),
    devBridge: z
      .object({ enabled: z.boolean().default(false), port: z.number().int().min(0).max(65535).default(0) })
      .strict()
      .default({ enabled: false, port: 0 }),
  })
  .strict();

export type KioskConfig = z.infer<typeof kioskConfigSchema>;
/** Hosts a plain `http:` API URL may name without the lab flag: this computer only. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether a URL's host is this computer (127.0.0.1, localhost, ::1). */
export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname.toLowerCase());
}

/**
 * Why an API base URL may not be used, or null when it may: only `https:`; plain `http:` only on
 * this computer (tests, the demo) or with the lab flag `api.allowInsecureHttp`; never `file:`,
 * `javascript:` or any other scheme. The empty string (not configured yet) is allowed.
 */
export function apiUrlProblem(baseUrl: string, allowInsecureHttp: boolean): string | null {
  if (baseUrl === '') return null;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return 'must be a URL like https://host/api';
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol !== 'http:') return `must be an https:// URL (${url.protocol} is never allowed)`;
  if (isLoopbackUrl(url) || allowInsecureHttp) return null;
  return 'must be an https:// URL (plain http:// only for 127.0.0.1, or with api.allowInsecureHttp in a lab)';
}

/** True when the API is reached over plain http on another machine (allowed only by the lab flag): the screens warn. */
export function isInsecureRemoteApi(baseUrl: string): boolean {
  try {
    const url = new URL(baseUrl);
    return url.protocol === 'http:' && !isLoopbackUrl(url);
  } catch {
    return false;
  }
}

export type KioskConfigInput = z.input<typeof kioskConfigSchema>;

export interface ConfigIssue {
  field: string;
  message: string;
}

export function defaultConfig(): KioskConfig {
  return kioskConfigSchema.parse({});
}

/** Validates unknown input; on failure lists every bad field with a readable reason. */
export function parseConfig(input: unknown): { ok: true; config: KioskConfig } | { ok: false; issues: ConfigIssue[] } {
  const result = kioskConfigSchema.safeParse(input);
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      field: issue.path.join('.') || '(root)',
      message: issue.code === 'unrecognized_keys' ? `unknown setting(s): ${issue.keys.join(', ')}` : issue.message,
    })),
  };
}

/**
 * Why the kiosk cannot run yet and must show setup (empty list = ready). `hasPin` says whether the
 * admin area has a PIN (main knows it from the database; default: the config's copy).
 */
export function setupReasons(config: KioskConfig, hasToken: boolean, hasPin: boolean = config.admin.pinHash !== null): string[] {
  const reasons: string[] = [];
  if (!config.hotel.slug) reasons.push('hotel.slug is not set');
  if (!config.api.baseUrl) reasons.push('api.baseUrl is not set');
  if (!hasToken) reasons.push('the kiosk account is not signed in (no API token)');
  if (!hasPin) reasons.push('no admin PIN is set');
  return reasons;
}

/** Deep-merges a partial patch into a config-shaped object (arrays and scalars replace). */
export function mergeConfig(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = mergeConfig(base[key], value);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
