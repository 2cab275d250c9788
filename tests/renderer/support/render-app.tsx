/** Renders the whole kiosk app against the fake KioskApi, with helpers for fake timers. */
import { act, cleanup, render, type RenderResult } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import { App } from '../../../src/renderer/src/App';
import type { EventChannel, EventPayload } from '../../../src/shared/ipc/contract';
import { createFakeKiosk, type FakeKiosk } from './fake-kiosk';

export interface RenderedApp extends RenderResult {
  fake: FakeKiosk;
  /** Let pending promises (IPC answers) settle and React commit. */
  flush(): Promise<void>;
  /** Advance fake time by `ms` and settle. */
  advance(ms: number): Promise<void>;
  /** Emit an event inside act() and settle. */
  emit<E extends EventChannel>(channel: E, payload: EventPayload<E>): Promise<void>;
}

// jsdom has no canvas implementation: answer like a browser without that context (null), quietly.
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

/** Renders <App> and waits for its start-up requests. Call vi.useFakeTimers() first. */
export async function renderApp(fake: FakeKiosk = createFakeKiosk()): Promise<RenderedApp> {
  const result = render(<App api={fake.api} />);
  const flush = async (): Promise<void> => {
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
  };
  await flush();
  await flush();
  return {
    ...result,
    fake,
    flush,
    async advance(ms) {
      await act(async () => {
        await vi.advanceTimersByTimeAsync(ms);
      });
      await flush();
    },
    async emit(channel, payload) {
      await act(async () => {
        fake.emit(channel, payload);
      });
      await flush();
    },
  };
}

/** Fake timers at a fixed morning for every test of the calling file; DOM cleaned up after each. */
export function useKioskTestTime(at = '2026-11-27T09:05:00Z'): void {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date(at));
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });
}
