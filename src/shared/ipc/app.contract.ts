/** App-wide channels: kiosk info, connection state, renderer log forwarding, leaving kiosk mode. */
import { z } from 'zod';
import type { ConnectionState, KioskInfo, Language } from '../domain/types';
import { event, request } from './define';

export const appRequests = {
  /** Everything the renderer needs at start. */
  'app:getInfo': request<KioskInfo>()(z.tuple([])),
  'app:getConnection': request<ConnectionState>()(z.tuple([])),
  /** Staff may switch language on the idle screen; it is not persisted (admins set the default). */
  'app:setLanguage': request<{ ok: true }>()(z.tuple([z.enum(['en', 'pl', 'es'])])),
  /** Forward a renderer error to main's log file. */
  'log:renderer': request<void>()(
    z.tuple([
      z.object({
        level: z.enum(['error', 'warn', 'info']),
        message: z.string().max(4000),
        stack: z.string().max(16000).optional(),
      }),
    ]),
  ),
};

export const appEvents = {
  'app:info': event<KioskInfo>(),
  'app:connection': event<ConnectionState>(),
  'app:language': event<Language>(),
};
