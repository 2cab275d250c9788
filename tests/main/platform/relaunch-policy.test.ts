import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createRelaunchPolicy,
  loadRelaunchState,
  saveRelaunchState,
} from '../../../src/main/platform/relaunch-policy';
import { createFakeClock } from '../../support/fake-clock';

describe('relaunch policy', () => {
  it('relaunches at once up to the limit, then backs off with doubling delays capped at the maximum', () => {
    const clock = createFakeClock();
    const policy = createRelaunchPolicy({ clock, maxRelaunches: 3, windowMs: 10 * 60_000, backoffBaseMs: 30_000, backoffMaxMs: 120_000 });
    const delays: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      delays.push(policy.recordCrash('renderer-gone').delayMs);
      clock.advance(1_000);
    }
    expect(delays).toEqual([0, 0, 0, 30_000, 60_000, 120_000, 120_000]);
    expect(policy.stats()).toMatchObject({ total: 7, recentCrashes: 7, totals: { 'renderer-gone': 7 } });
  });

  it('forgets crashes older than the window, so a kiosk that crashes once a day is never held back', () => {
    const clock = createFakeClock();
    const policy = createRelaunchPolicy({ clock, maxRelaunches: 2, windowMs: 60_000 });
    expect(policy.recordCrash('renderer-unresponsive').delayMs).toBe(0);
    expect(policy.recordCrash('renderer-unresponsive').delayMs).toBe(0);
    expect(policy.recordCrash('renderer-unresponsive').backingOff).toBe(true);
    clock.advance(61_000);
    const next = policy.recordCrash('renderer-gone');
    expect(next).toMatchObject({ delayMs: 0, backingOff: false, recentCrashes: 1 });
    expect(policy.stats().totals).toEqual({ 'renderer-unresponsive': 3, 'renderer-gone': 1 });
  });

  it('survives a main-process restart: a crash loop at start-up still backs off', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relaunch-'));
    const file = path.join(dir, 'relaunch-state.json');
    const clock = createFakeClock();
    try {
      for (let run = 0; run < 3; run += 1) {
        const policy = createRelaunchPolicy({ clock, maxRelaunches: 3, state: loadRelaunchState(file) });
        expect(policy.recordCrash('main-uncaught').delayMs).toBe(0);
        expect(saveRelaunchState(file, policy.snapshot())).toBe(true);
        clock.advance(5_000);
      }
      const fourth = createRelaunchPolicy({ clock, maxRelaunches: 3, state: loadRelaunchState(file) });
      expect(fourth.recordCrash('main-uncaught')).toMatchObject({ backingOff: true, delayMs: 30_000, recentCrashes: 4 });
      expect(fourth.stats().totals['main-uncaught']).toBe(4);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a damaged state file starts fresh instead of crashing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relaunch-'));
    const file = path.join(dir, 'relaunch-state.json');
    fs.writeFileSync(file, '{"crashTimes": ["x"');
    expect(loadRelaunchState(file)).toBeUndefined();
    fs.writeFileSync(file, '{"crashTimes": ["x"]}');
    expect(loadRelaunchState(file)).toBeUndefined();
    expect(loadRelaunchState(path.join(dir, 'missing.json'))).toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a wall clock set backwards does not count "future" crashes against the kiosk', () => {
    const clock = createFakeClock();
    const policy = createRelaunchPolicy({ clock, maxRelaunches: 1 });
    policy.recordCrash('watchdog');
    clock.setWall(new Date(clock.now().getTime() - 3600_000));
    expect(policy.recordCrash('watchdog')).toMatchObject({ delayMs: 0, recentCrashes: 1 });
  });
});
