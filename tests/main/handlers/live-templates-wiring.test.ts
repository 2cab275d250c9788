/**
 * Templates that follow the person, wired as the kiosk wires them: a punch through clock:punch from
 * a confident recognition leaves a live template once HotelMate took it; a punch HotelMate sent to
 * review (it named someone else) and a punch made without a face leave none. Real SQLite, the real
 * face and clock services, the HotelMate double on 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import type { PunchResult } from '../../../src/shared/domain/punch';
import { systemClock } from '../../../src/main/lib/clock';
import { createHandlerKit, settledState, type HandlerKit } from './handler-kit';

async function hotelKit(): Promise<{ k: HandlerKit } & NonNullable<HandlerKit['hotel']>> {
  const k = await createHandlerKit({ clock: systemClock, hotel: true, adminPin: '246810' });
  if (!k.hotel) throw new Error('no HotelMate double');
  return { k, ...k.hotel };
}

const templatesOf = (k: HandlerKit, staffId: number): number => k.face.templates.list().find((p) => p.staffId === staffId)?.templates ?? 0;

describe('live templates through clock:punch', () => {
  it('a confident recognition whose punch HotelMate took leaves one more template for the person', async () => {
    const { k, world } = await hotelKit();
    const recognitionId = await k.recognise(world.aoife.id, world.probes.aoife);
    expect(templatesOf(k, world.aoife.id)).toBe(1);
    const result = (await k.handlers['clock:punch']({ recognitionId, action: 'clock_in' })) as PunchResult;
    expect(result).toMatchObject({ ok: true, savedOffline: false });
    expect(await settledState(k, result)).toBe('synced');
    expect(templatesOf(k, world.aoife.id)).toBe(2);
    expect(k.face.liveTemplates.pending()).toBe(0);
  });

  it('a punch HotelMate sent to review (it matched the face to someone else) leaves none', async () => {
    const { k, world } = await hotelKit();
    // The kiosk has Aoife's face enrolled as Conor's: HotelMate names Aoife.
    const recognitionId = await k.recognise(world.conor.id, world.probes.aoife);
    const result = (await k.handlers['clock:punch']({ recognitionId, action: 'clock_in', reason: 'Covering a shift' })) as PunchResult;
    expect(result).toMatchObject({ ok: true });
    expect(await settledState(k, result)).toBe('needs_review');
    expect(templatesOf(k, world.conor.id)).toBe(1);
    expect(k.face.liveTemplates.pending()).toBe(0);
  });
});
