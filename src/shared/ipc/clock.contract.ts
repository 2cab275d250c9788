/** Clock channels: punches, effective status and the on-duty board. */
import { z } from 'zod';
import type { PunchRequest, PunchResult, UndoResult } from '../domain/punch';
import type { EffectiveStatus, OnDutyBoard } from '../domain/types';
import { event, request, state } from './define';

export const clockActionSchema = z.enum(['clock_in', 'clock_out', 'start_break', 'end_break']);

const punchRequestSchema: z.ZodType<PunchRequest> = z.object({
  recognitionId: z.string().min(1).max(100),
  action: clockActionSchema,
  /** Reason for an unrostered clock-in (preset or free text). */
  reason: z.string().max(255).optional(),
}).strict();

export const clockRequests = {
  'clock:punch': request<PunchResult>()(z.tuple([punchRequestSchema])),
  /** Undo of a punch within its undo window (the done screen's Undo). */
  'clock:undo': request<UndoResult>()(z.tuple([z.string().min(1).max(100)])),
  /** The done screen moved on: the punch's undo window ends now and the sync may send it. */
  'clock:release': request<void>()(z.tuple([z.string().min(1).max(100)])),
  'clock:getStatus': request<EffectiveStatus>()(z.tuple([z.number().int().positive()])),
};

export const clockStates = {
  /** Who is on duty or on a break now, by department. */
  'board:onDuty': state<OnDutyBoard>(),
};

export const clockEvents = {
  /** A staff member's effective status changed (own punch, sync, or an event from the hotel). */
  'clock:status': event<EffectiveStatus>(),
};
