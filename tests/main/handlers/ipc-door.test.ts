/**
 * The IPC contract as the kiosk's only door from the screen into main, tried from the locked screen:
 * every channel of the contract (read from it at run time) is either on the list of what staff may
 * use without the PIN, with its reason, or refused while locked and served once unlocked; every
 * channel refuses arguments of the wrong shape before any handler runs, writing nothing. Real
 * SQLite, the real admin session with a PIN, the real face and clock services, the HotelMate double
 * on 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import type { StaffListEntry } from '../../../src/shared/domain/enrolment';
import { type InvokeChannel, type RequestArgs, type RequestChannel, requestChannels, stateChannels } from '../../../src/shared/ipc/contract';
import { decodeMessage, encodeMessage } from '../../../src/shared/ipc/wire';
import { systemClock } from '../../../src/main/lib/clock';
import { createHandlerKit, type HandlerKit } from './handler-kit';

const PIN = '246810';
const WRONG_PIN = '135791';
const SOME_UUID = '0190a4c4-0000-7000-8000-000000000000';

/**
 * What a locked kiosk serves (staff at the screen, before any PIN), one reason each. Every other
 * channel of the contract must be refused while the admin area is locked.
 */
const OPEN_WHILE_LOCKED: Readonly<Partial<Record<InvokeChannel, string>>> = {
  'app:info': 'the screen needs hotel name, mode and language at start (no secrets: kiosk-info.ts)',
  'app:connection': 'the online/offline line on the idle screen',
  'app:setLanguage': 'staff switch language on the idle screen; not saved',
  'log:renderer': 'the page reports its own errors to the log (escaped, bounded)',
  'camera:list': 'device names only; the setup screen of a new kiosk lists them',
  'camera:status': 'the idle screen says when the camera is down',
  'face:rejectMatch': '"Not you?" on the greeting',
  'face:startAgain': '"Start again" after a cancel or "not recognised"',
  'clock:punch': 'the punch of a live recognition: main checks the face is still in view',
  'clock:undo': 'Undo on the done screen, within its window',
  'clock:release': 'the done screen moved on',
  'clock:getStatus': 'a duty status, as manual:status gives any picked person and clock:status pushes anyway',
  'board:onDuty': 'the on-duty board on the idle screen',
  'manual:begin': '"Clock without face" was tapped',
  'manual:staff': 'the picker: names and departments only',
  'manual:status': 'the picked person’s status',
  'manual:approver': 'whether the manager in view may approve ("Approve as <name>")',
  'manual:punch': 'the punch approved by the manager PIN or a manager’s live face',
  'admin:unlock': 'the PIN pad (lock-outs in the admin session)',
  'admin:setPin': 'first run only, or unlocked: the session checks for itself',
  'admin:status': 'the PIN pad shows lock-outs and attempts left',
};

/** A well-formed call of every request channel: the compiler says when a new channel has none. */
function validArgs(world: NonNullable<HandlerKit['hotel']>['world'], apiBaseUrl: string): { [C in RequestChannel]: RequestArgs<C> } {
  const staffId = world.niamh.id;
  return {
    'app:setLanguage': ['en'],
    'log:renderer': [{ level: 'info', message: 'door test' }],
    'camera:list': [],
    'face:rejectMatch': ['no-such-recognition'],
    'face:startAgain': [],
    'clock:punch': [{ recognitionId: 'no-such-recognition', action: 'clock_in' }],
    'clock:undo': [SOME_UUID],
    'clock:release': [SOME_UUID],
    'clock:getStatus': [staffId],
    'manual:begin': [],
    'manual:staff': [],
    'manual:status': [staffId],
    'manual:approver': ['no-such-recognition', staffId],
    'manual:punch': [{ staffId, action: 'clock_in', approverRecognitionId: 'no-such-recognition' }],
    'admin:unlock': [PIN],
    'admin:lock': [],
    'admin:setPin': [PIN],
    'admin:resolveProblem': ['restore_backup'],
    'config:get': [],
    'config:update': [{ ui: { showBoard: true } }],
    'setup:signIn': [{ apiBaseUrl, hotelSlug: world.hotelSlug, username: 'kiosk', password: 'secret' }],
    'staff:list': [],
    'enrol:consent': ['en'],
    'enrol:start': [{ staffId, consent: true, consentLanguage: 'en', consentHash: 'a'.repeat(64) }],
    'enrol:cancel': [],
    'enrol:list': [],
    'enrol:remove': [staffId],
    'enrol:leavers': [],
    'ledger:list': [{ limit: 10 }],
    'ledger:exportCsv': [],
    'ledger:retry': [SOME_UUID],
    'ledger:snapshot': [SOME_UUID],
    'jobs:list': [{ limit: 10 }],
    'jobs:retry': [SOME_UUID],
    'jobs:discard': [SOME_UUID],
    'diagnostics:get': [],
    'diagnostics:export': ['/media/usb'],
    'app:forgetKiosk': ['FORGET'],
    'app:exit': [],
    'setup:checkHotel': [{ apiBaseUrl, hotelSlug: world.hotelSlug }],
    'setup:testPunch': [],
  };
}

/** Every channel the screen can name, read from the contract now (a new one cannot slip past). */
const allChannels = (): InvokeChannel[] => [...Object.keys(requestChannels), ...Object.keys(stateChannels)] as InvokeChannel[];

interface Door {
  k: HandlerKit;
  world: NonNullable<HandlerKit['hotel']>['world'];
  valid: Record<string, readonly unknown[]>;
}

async function door(): Promise<Door> {
  const k = await createHandlerKit({ clock: systemClock, hotel: true, adminPin: PIN, setupCheckTimeoutMs: 300 });
  if (!k.hotel) throw new Error('no HotelMate double');
  const deadline = Date.now() + 5000;
  while (((await k.router.dispatch('manual:staff', [])) as StaffListEntry[]).length === 0) {
    if (Date.now() > deadline) throw new Error('the staff list never arrived');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const valid: Record<string, readonly unknown[]> = { ...validArgs(k.hotel.world, k.hotel.double.apiBaseUrl) };
  for (const state of Object.keys(stateChannels)) valid[state] = [];
  return { k, world: k.hotel.world, valid };
}

/** The error code a dispatch rejected with, or 'served' when it resolved. */
async function outcome(k: HandlerKit, channel: string, args: unknown): Promise<string> {
  return k.router.dispatch(channel, args).then(
    () => 'served',
    (error: unknown) => (error as { code?: string }).code ?? 'unknown',
  );
}

/** What must not move when a call is refused: the ledger, faces, outgoing jobs, the config, the PIN and its counters, the exit. */
function footprint(k: HandlerKit): string {
  const count = (table: string): unknown => (k.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const meta = k.db.prepare("SELECT key, value FROM kiosk_meta WHERE key LIKE 'admin.%' ORDER BY key").all();
  return JSON.stringify({ ledger: count('ledger_events'), templates: count('face_templates'), jobs: k.jobs.list({ limit: 1000 }).length, config: k.config.get(), meta, unlocked: k.admin.isUnlocked(), exits: k.exits() });
}

describe('the IPC door, locked', () => {
  it('has a decision for every channel of the contract, and the open list names only real channels', () => {
    const channels = new Set<string>(allChannels());
    for (const name of Object.keys(OPEN_WHILE_LOCKED)) expect(channels.has(name), `${name} is on the open list but not in the contract`).toBe(true);
  });

  it('refuses every channel not meant for staff while locked (nothing written), serves it once unlocked, and serves the staff channels locked', async () => {
    const { k, valid } = await door();
    const wrong: string[] = [];
    for (const channel of allChannels()) {
      const args = valid[channel];
      if (!args) {
        wrong.push(`${channel}: no sample arguments`);
        continue;
      }
      k.admin.lock();
      const before = footprint(k);
      const locked = await outcome(k, channel, args);
      const open = channel in OPEN_WHILE_LOCKED;
      if (open && (locked === 'forbidden' || locked === 'invalid_arguments')) wrong.push(`${channel} (staff) refused while locked: ${locked}`);
      if (!open) {
        if (locked !== 'forbidden') wrong.push(`${channel} answered "${locked}" while locked; expected forbidden`);
        if (footprint(k) !== before) wrong.push(`${channel} changed the kiosk while locked`);
        expect((await k.admin.unlock(PIN)).ok).toBe(true);
        const unlocked = await outcome(k, channel, args);
        if (unlocked === 'forbidden' || unlocked === 'invalid_arguments') wrong.push(`${channel} refused once unlocked: ${unlocked}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(k.exits()).toBeGreaterThan(0); // app:exit ran once unlocked, and only then
  });

  it('gives a locked screen no PIN hash, token, descriptor or image through any staff channel', async () => {
    const { k, world, valid } = await door();
    const pinHash = k.config.get().admin.pinHash ?? '';
    expect(pinHash).toMatch(/^scrypt\$/);
    await k.recognise(world.aoife.id, world.probes.aoife);
    const answers: unknown[] = [];
    for (const channel of Object.keys(OPEN_WHILE_LOCKED)) {
      if (channel === 'admin:unlock' || channel === 'admin:setPin') continue;
      answers.push(await k.router.dispatch(channel, valid[channel]));
    }
    const seen = JSON.stringify([answers, k.sent]);
    expect(k.admin.isUnlocked()).toBe(false);
    expect(seen).not.toContain(pinHash);
    expect(seen).not.toContain('scrypt$');
    expect(seen).not.toContain(world.manager.token);
    expect(seen).not.toContain('data:image');
    // A descriptor is 128 numbers in a row; nothing the screen gets has such a list.
    expect(seen).not.toMatch(/\[(-?[\d.e-]+,){63,}/);
  });
});

/** Wrong shapes for a call, each from its well-formed arguments. */
function wrongShapes(args: readonly unknown[]): { what: string; args: unknown }[] {
  const out: { what: string; args: unknown }[] = [
    { what: 'one argument too many', args: [...args, 'extra'] },
    { what: 'a prototype key as the argument', args: JSON.parse('[{"__proto__":{"isAdmin":true}}]') as unknown },
    { what: 'a class instance', args: [new Date(0)] },
  ];
  if (args.length > 0) out.push({ what: 'the last argument missing', args: args.slice(0, -1) });
  args.forEach((arg, i) => {
    const swap = (value: unknown): unknown[] => args.map((a, j) => (j === i ? value : a));
    out.push({ what: `argument ${i} of the wrong type`, args: swap(typeof arg === 'number' ? String(arg) : typeof arg === 'string' ? 42 : 'text') });
    if (typeof arg === 'string') out.push({ what: `argument ${i} a huge string`, args: swap('9'.repeat(1_000_000)) });
    if (arg && typeof arg === 'object') {
      const record = arg as Record<string, unknown>;
      out.push({ what: `argument ${i} with an unknown key`, args: swap({ ...record, isAdmin: true }) });
      out.push({ what: `argument ${i} with __proto__`, args: swap(JSON.parse(`{"__proto__":{"pinHash":"x"},${JSON.stringify(record).slice(1)}`)) });
      out.push({ what: `argument ${i} with constructor`, args: swap({ ...record, constructor: { prototype: { isAdmin: true } } }) });
      for (const [key, value] of Object.entries(record)) {
        if (typeof value === 'string') out.push({ what: `argument ${i}.${key} a huge string`, args: swap({ ...record, [key]: 'a'.repeat(1_000_000) }) });
        if (typeof value === 'number') out.push({ what: `argument ${i}.${key} not a number`, args: swap({ ...record, [key]: String(value) }) });
      }
    }
  });
  return out;
}

/** A config patch is any object by shape (the config's own schema judges it): an unknown key or a long value is its business. */
const SCHEMA_JUDGED_LATER = new Set(['config:update 0 with an unknown key']);

describe('the IPC door, wrong shapes', () => {
  it('refuses every wrong shape on every channel with invalid_arguments, locked or not, before any handler runs', async () => {
    const { k, valid } = await door();
    const wrong: string[] = [];
    for (const unlocked of [false, true]) {
      if (unlocked) expect((await k.admin.unlock(PIN)).ok).toBe(true);
      else k.admin.lock();
      const before = footprint(k);
      const sentBefore = k.sent.length;
      for (const channel of allChannels()) {
        for (const shape of wrongShapes(valid[channel] ?? [])) {
          if (SCHEMA_JUDGED_LATER.has(`${channel} ${shape.what.replace('argument ', '')}`)) continue;
          const got = await outcome(k, channel, shape.args);
          if (got !== 'invalid_arguments') wrong.push(`${channel}, ${shape.what}: ${got}`);
        }
      }
      expect(footprint(k)).toBe(before);
      expect(k.sent.slice(sentBefore)).toEqual([]);
      expect(k.admin.isUnlocked()).toBe(unlocked);
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a prototype key that came through the dev bridge’s binary frames as it does one sent as text', async () => {
    const { k, world } = await door();
    const before = footprint(k);
    // The bridge decodes binary frames; a `__proto__` key must stay a key the router sees, not become the object's prototype.
    const json = `{"m":{"t":"req","id":1,"channel":"manual:punch","args":[{"staffId":${world.niamh.id},"action":"clock_in","__proto__":{"pin":"${PIN}"}}]},"b":[]}`;
    const frame = new TextEncoder().encode(json);
    const header = new Uint8Array(4 + frame.byteLength);
    new DataView(header.buffer).setUint32(0, frame.byteLength, true);
    header.set(frame, 4);
    const message = decodeMessage(header);
    if (message.t !== 'req') throw new Error('not a request');
    expect(await outcome(k, message.channel, message.args)).toBe('invalid_arguments');
    expect(footprint(k)).toBe(before);
    // An ordinary frame still decodes as it was encoded.
    expect(decodeMessage(encodeMessage({ t: 'req', id: 2, channel: 'manual:staff', args: [] }))).toEqual({ t: 'req', id: 2, channel: 'manual:staff', args: [] });
  });
});

describe('the IPC door, staff flows', () => {
  it('a punch naming another person than the one recognised is refused; the recognition still punches only for its own person', async () => {
    const { k, world } = await door();
    const recognitionId = await k.recognise(world.aoife.id, world.probes.aoife);
    const before = footprint(k);
    expect(await outcome(k, 'clock:punch', [{ recognitionId, action: 'clock_in', staffId: world.conor.id }])).toBe('invalid_arguments');
    expect(footprint(k)).toBe(before);
    const result = (await k.router.dispatch('clock:punch', [{ recognitionId, action: 'clock_in' }])) as { ok: boolean };
    expect(result.ok).toBe(true);
    const rows = (await k.handlers['ledger:list']({ limit: 10 })).map((row) => row.staffId);
    expect(rows).toEqual([world.aoife.id]);
  });

  it('after the PIN is guessed wrong too often, the right PIN opens nothing anywhere: unlock, a manual punch, a new PIN', async () => {
    const { k, world, valid } = await door();
    const maxAttempts = k.config.get().admin.maxAttempts;
    const answers: string[] = [];
    for (let i = 0; i < maxAttempts; i += 1) {
      const result = (await k.router.dispatch('admin:unlock', [WRONG_PIN])) as { ok: boolean; error?: { code: string } };
      answers.push(result.error?.code ?? 'ok');
    }
    expect(answers.at(-1)).toBe('locked_out');
    const before = footprint(k);
    expect(await k.router.dispatch('admin:unlock', [PIN])).toMatchObject({ ok: false, error: { code: 'locked_out' } });
    expect(await k.router.dispatch('manual:punch', [{ staffId: world.niamh.id, action: 'clock_in', pin: PIN }])).toMatchObject({ ok: false, error: { code: 'locked_out' } });
    expect(await k.router.dispatch('admin:setPin', ['999999'])).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
    const stillForbidden = allChannels().filter((channel) => !(channel in OPEN_WHILE_LOCKED));
    for (const channel of stillForbidden) expect(await outcome(k, channel, valid[channel]), channel).toBe('forbidden');
    expect(footprint(k)).toBe(before);
    expect(k.admin.status()).toMatchObject({ unlocked: false, attemptsLeft: 0 });
  });

  it('a kiosk that already has a PIN refuses a new one from the locked screen, and the old PIN still opens it', async () => {
    const { k } = await door();
    const before = footprint(k);
    expect(await k.router.dispatch('admin:setPin', ['999999'])).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
    expect(await outcome(k, 'setup:signIn', [{ apiBaseUrl: 'https://attacker.example/api', hotelSlug: 'evil', username: 'x', password: 'y' }])).toBe('forbidden');
    expect(footprint(k)).toBe(before);
    expect(await k.router.dispatch('admin:unlock', ['999999'])).toMatchObject({ ok: false, error: { code: 'wrong_pin' } });
    expect(await k.router.dispatch('admin:unlock', [PIN])).toMatchObject({ ok: true });
  });
});
