import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type WritableDB } from '../../../src/main/db/database';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createJobQueue } from '../../../src/main/jobs/job-queue';
import { createAuditSnapshots } from '../../../src/main/ledger/audit-snapshots';
import { createLedger } from '../../../src/main/ledger/ledger-store';
import { createFaceRevoker, type ServerRevokeOutcome } from '../../../src/main/privacy/revoke-face';
import type { EnrolledPerson } from '../../../src/shared/domain/enrolment';
import { createFakeClock } from '../../support/fake-clock';

/** A minimal template store over a SQLite table (the real one belongs to the face service). */
function sqlTemplates(db: WritableDB) {
  return {
    list: (): EnrolledPerson[] =>
      (db.prepare('SELECT staff_id AS staffId, COUNT(*) AS n FROM templates_fixture GROUP BY staff_id').all() as { staffId: number; n: number }[]).map((r) => ({
        staffId: r.staffId,
        name: `#${r.staffId}`,
        templates: r.n,
        consentAt: null,
        registeredWithServer: true,
      })),
    remove: (staffId: number): void => void db.prepare('DELETE FROM templates_fixture WHERE staff_id = ?').run(staffId),
  };
}

describe('revoking a face', () => {
  let dir: string;
  let file: string;
  let db: WritableDB;
  let server: http.Server;
  let url: string;
  let online = true;
  const revokedOnServer: number[] = [];

  /** Stands in for the HotelMate client: POST revoke-face on a real local server. */
  const revokeOnServer = async (staffId: number): Promise<ServerRevokeOutcome> => {
    const response = await fetch(`${url}/revoke-face/`, { method: 'POST', body: JSON.stringify({ staff_id: staffId }), headers: { 'content-type': 'application/json' } });
    if (response.status === 404) return 'not_registered';
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return 'revoked';
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revoke-'));
    file = path.join(dir, 'kiosk.db');
    db = openDatabase({ file });
    db.exec('CREATE TABLE templates_fixture (id INTEGER PRIMARY KEY, staff_id INTEGER NOT NULL, descriptor BLOB NOT NULL) STRICT');
    const insert = db.prepare("INSERT INTO templates_fixture (staff_id, descriptor) VALUES (?, x'00')");
    for (const staffId of [7, 7, 7, 9]) insert.run(staffId);
    online = true;
    revokedOnServer.length = 0;
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (!online) {
          res.writeHead(503).end();
          return;
        }
        const staffId = (JSON.parse(body) as { staff_id: number }).staff_id;
        if (staffId === 404) {
          res.writeHead(404).end('{"detail":"No active face"}');
          return;
        }
        revokedOnServer.push(staffId);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    db.close();
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const make = () =>
    createFaceRevoker({
      jobs: createJobQueue({ db, clock: createFakeClock(), logger: createMemoryLogger() }),
      logger: createMemoryLogger(),
      templates: sqlTemplates(db),
      revokeOnServer,
    });

  it('online: deletes the templates here and on the server, leaving other people alone', async () => {
    const result = await make().revoke(7);
    expect(result).toEqual({ staffId: 7, localTemplatesRemoved: 3, server: 'revoked' });
    expect(db.prepare('SELECT staff_id FROM templates_fixture').all()).toEqual([{ staff_id: 9 }]);
    expect(revokedOnServer).toEqual([7]);
  });

  it('offline: deletes locally at once, queues the server part across a restart, and finishes it after reconnecting', async () => {
    online = false;
    const result = await make().revoke(7);
    expect(result.server).toBe('queued');
    expect(db.prepare('SELECT COUNT(*) AS n FROM templates_fixture WHERE staff_id = 7').get()).toEqual({ n: 0 });

    db.close();
    db = openDatabase({ file });
    const afterRestart = make();
    expect(afterRestart.pending()).toEqual([7]);
    expect(await afterRestart.retryPending()).toBe(1);
    online = true;
    expect(await afterRestart.retryPending()).toBe(0);
    expect(revokedOnServer).toEqual([7]);
    expect(afterRestart.pending()).toEqual([]);
  });

  it('the person’s audit snapshots (pictures of their face) go with their templates; other people’s stay', async () => {
    const clock = createFakeClock();
    const logger = createMemoryLogger();
    const ledger = createLedger({ db, clock, logger, kioskId: 'k' });
    const snapshots = createAuditSnapshots({ db, key: Buffer.alloc(32, 3), clock, logger });
    const leaving = ledger.append({ staffId: 7, action: 'clock_in' });
    const staying = ledger.append({ staffId: 9, action: 'clock_in' });
    snapshots.keep(leaving.eventId, Buffer.from([0xff, 0xd8]));
    snapshots.keep(staying.eventId, Buffer.from([0xff, 0xd8]));
    const revoker = createFaceRevoker({ jobs: createJobQueue({ db, clock, logger }), logger, templates: sqlTemplates(db), snapshots, revokeOnServer });
    await revoker.revoke(7);
    expect([...snapshots.eventIds()]).toEqual([staying.eventId]);
    expect(ledger.get(leaving.eventId)?.staffId).toBe(7); // the punch itself stays
  });

  it('a person with no face on the server is final, not retried forever', async () => {
    const result = await make().revoke(404);
    expect(result).toEqual({ staffId: 404, localTemplatesRemoved: 0, server: 'not_registered' });
    expect(make().pending()).toEqual([]);
  });
});
