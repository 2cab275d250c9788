/** A listener that throws is logged and isolated: the punch is still confirmed and the sync keeps going. */
import { describe, expect, it } from 'vitest';
import { createHarness } from './harness';

describe('listeners of the clock service and the sync', () => {
  it('a status listener that throws does not turn a saved punch into an error; the other listeners still hear it', async () => {
    const h = await createHarness();
    const heard: string[] = [];
    h.service.onStatus(() => {
      throw new Error('screen went away');
    });
    h.service.onStatus((status) => heard.push(status.status));
    const result = h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    expect(result.ok && result.status.status).toBe('on_duty');
    expect(heard).toEqual(['on_duty']);
    expect(h.service.ledger({ limit: 5 })).toHaveLength(1);
    const failure = h.logger.records.find((r) => r.message === 'listener failed');
    expect(failure?.level).toBe('error');
    expect(failure?.fields).toMatchObject({ emitter: 'clock.status', error: expect.stringContaining('screen went away') });
  });

  it('a sync state listener that throws does not stop the punch from reaching HotelMate', async () => {
    const h = await createHarness();
    h.service.sync.onState(() => {
      throw new Error('indicator crashed');
    });
    h.double.faults.dropConnection({ when: 'before' });
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    await h.sync(); // offline: the state changes while the wave is recorded
    await h.sync(); // back online: another change
    expect(h.service.ledger({ limit: 1 })[0]?.syncState).toBe('synced');
    expect(h.double.state.clockLogs({ staffId: h.world.aoife.id })).toHaveLength(1);
    expect(h.logger.records.filter((r) => r.message === 'listener failed' && r.fields?.emitter === 'sync.state').length).toBeGreaterThanOrEqual(2);
  });
});
