/**
 * 0010: reserved for a migration of parallel work (the registry must be contiguous); this
 * placeholder changes nothing and is replaced by that migration when both are merged.
 */
import type { Migration } from './index';

export const migration0010: Migration = {
  version: 10,
  name: 'reserved',
  up() {
    // Intentionally empty: see the comment above.
  },
};
