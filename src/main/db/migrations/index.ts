/**
 * The migration registry: one numbered file per migration, listed in order. `openDatabase` checks
 * the list is monotonic and applies the missing ones in one transaction each.
 */
import type { Database } from 'better-sqlite3';
import { migration0001 } from './0001-kiosk-meta';
import { migration0002 } from './0002-ledger';
import { migration0003 } from './0003-reference-cache';
import { migration0004 } from './0004-face-templates';
import { migration0005 } from './0005-jobs';
import { migration0006 } from './0006-ledger-session-start';
import { migration0007 } from './0007-liveness-review';
import { migration0008 } from './0008-ledger-manual-approval';
import { migration0009 } from './0009-ledger-undo';
import { migration0010 } from './0010-live-template-candidates';
import { migration0011 } from './0011-manager-face-approval';
import { migration0012 } from './0012-ledger-late-write';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
];
