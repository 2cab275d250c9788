/**
 * Crash-test child: runs the real ClockService against a real SQLite file and the HotelMate double,
 * punching in a loop (with the sync running in the background) and printing `OK <eventId>` for
 * every punch punch() confirmed, until the parent kills it with SIGKILL.
 * argv: <dbFile> <apiBaseUrl> <hotelSlug> <token> <keyHex> <staffJson>
 */
import { openDatabase } from '../../../src/main/db/database';
import { createHotelMateClient } from '../../../src/main/hotelmate/client';
import { createDescriptorCipher } from '../../../src/main/ledger/descriptor-cipher';
import { createLogger } from '../../../src/main/logging/logger';
import { allowedActions } from '../../../src/shared/domain/duty-status';
import { defaultConfig } from '../../../src/shared/config/schema';
import { systemClock } from '../../../src/main/lib/clock';
import { createClockService } from '../../../src/main/sync/clock-service';

const [dbFile, apiBaseUrl, hotelSlug, token, keyHex, staffJson] = process.argv.slice(2) as [string, string, string, string, string, string];
const staff = JSON.parse(staffJson) as { id: number; encoding: number[] }[];
const logger = createLogger({ sinks: [], level: 'error' });
const db = openDatabase({ file: dbFile });
const config = defaultConfig();
const client = createHotelMateClient({ baseUrl: apiBaseUrl, hotelSlug, getToken: () => token, timeoutMs: 2000, logger });
const service = createClockService({
  db,
  client,
  clock: systemClock,
  logger,
  config,
  kioskId: 'crash-kiosk',
  descriptorCipher: createDescriptorCipher(Buffer.from(keyHex, 'hex')),
  duplicateWindowMs: 0,
  sync: { baseDelayMs: 20, maxDelayMs: 200, probeIntervalMs: 200, lateWriteMs: 300 },
});
service.sync.start(); // the sync only: no reference refresh, to keep each short life busy punching
process.stdout.write('READY\n');

function punchOne(): void {
  const person = staff[Math.floor(Math.random() * staff.length)] as { id: number; encoding: number[] };
  const status = service.effectiveStatus(person.id).status;
  const action = allowedActions(status)[Math.random() < 0.7 ? 0 : allowedActions(status).length - 1]!;
  const result = service.punch({
    staffId: person.id,
    action,
    flagged: false,
    match: {
      staffId: person.id,
      distance: 0.2,
      secondBestDistance: null,
      model: 'faceapi-128',
      liveDescriptor: Float32Array.from(person.encoding),
      liveness: null,
      spoofSuspected: false,
    },
  });
  if (result.ok && !result.duplicate) process.stdout.write(`OK ${result.eventId} ${person.id} ${action}\n`);
  setTimeout(punchOne, Math.random() * 4);
}
punchOne();
