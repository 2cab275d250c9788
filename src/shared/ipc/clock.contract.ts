/** Clock channels: punches, effective status and the on-duty board. */
import { z } from 'zod';
import type { ClockAction, EffectiveStatus, OnDutyBoard } from '../domain/types';
import { type Result, event, request } from './define';

export type PunchErrorCode =
  | 'unknown_recognition'
  | 'expired_recognition'
  | 'not_allowed'
  | 'storage_failed'
  | 'not_configured';

export type PunchResult = Result<
  {
    eventId: string;
    action: ClockAction;
    /** ISO time the punch happened (the kiosk's clock). */
    occurredAt: string;
    /** True when the punch is saved locally and will sync later (offline or server slow). */
    savedOffline: boolean;
    /** True when this was a second tap for the same punch, recognised and not recorded twice. */
    duplicate: boolean;
    status: EffectiveStatus;
  },
  PunchErrorCode
>;

export const clockActionSchema = z.enum(['clock_in', 'clock_out', 'start_break', 'end_break']);

export const clockRequests = {
  'clock:punch': request<PunchResult>()(
    z.tuple([
      z.object({
        recognitionId: z.string().min(1).max(100),
        action: clockActionSchema,
        /** Reason for an unrostered clock-in (preset or free text). */
        reason: z.string().max(255).optional(),
      }),
    ]),
  ),
  'clock:getStatus': request<EffectiveStatus>()(z.tuple([z.number().int().positive()])),
  'board:get': request<OnDutyBoard>()(z.tuple([])),
};

export const clockEvents = {
  /** A staff member's effective status changed (own punch, sync, or an event from the hotel). */
  'clock:status': event<EffectiveStatus>(),
  'board:changed': event<OnDutyBoard>(),
};
