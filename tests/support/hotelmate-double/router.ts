/**
 * The HotelMate double's backend: every endpoint family registered in one list, and the dispatch
 * Django and DRF do around them (HTML 404 for an unknown path, the attendance gates before a 405,
 * 400 for a body that is not JSON, one database transaction per request). Pure request -> response
 * over the double's SQLite; HTTP and fault injection live in http-server.ts.
 */
import { clockLogEndpoints } from './endpoints/clock-logs';
import { faceClockEndpoints } from './endpoints/face-clock';
import { faceManagementEndpoints } from './endpoints/face-management';
import type { EndpointDeps, EndpointFamily } from './endpoints/family';
import { rosterEndpoints } from './endpoints/roster';
import { signInEndpoints } from './endpoints/sign-in';
import { staffEndpoints } from './endpoints/staff';
import { createFaceMatcher } from './matching';
import { createModel } from './model';
import { createGates } from './permissions';
import { detail, NOT_FOUND_HTML, type BackendRequest, type HandleResult, type Route } from './protocol';
import { createPusherEvents, type PusherClientSettings, type PusherEmit } from './pusher';
import { createSerializers } from './serializers';
import type { DB } from './store';

/** Every endpoint family, in the order their routes are tried. */
export const ENDPOINT_FAMILIES: readonly EndpointFamily[] = [
  signInEndpoints,
  staffEndpoints,
  rosterEndpoints,
  faceManagementEndpoints,
  faceClockEndpoints,
  clockLogEndpoints,
];

export interface Backend {
  /** Answers one request; never throws for a request it cannot route. */
  handle(request: BackendRequest): HandleResult;
}

/** Builds the backend over the double's database, its clock and its Pusher client settings. */
export function createBackend(db: DB, now: () => Date, pusherSettings: PusherClientSettings): Backend {
  const model = createModel(db, now);
  const gates = createGates(model);
  const serializers = createSerializers(model);
  const deps: EndpointDeps = { model, gates, serializers, pusher: createPusherEvents(model, serializers, pusherSettings), matcher: createFaceMatcher(model) };
  const routes: Route[] = ENDPOINT_FAMILIES.flatMap((family) => family.routes(deps));

  return {
    handle(request) {
      const pusher: PusherEmit[] = [];
      for (const route of routes) {
        const m = route.pattern.exec(request.pathname);
        if (!m) continue;
        const params = { ...(m.groups ?? {}) } as Record<string, string>;
        const handler = route.methods[request.method as 'GET' | 'POST'];
        if (!handler) {
          const denied = route.auth === 'attendance' ? gates.attendance(request, params.slug, 'attendance.module.view') : null;
          if (denied && !denied.ok) return { response: denied.response, pusher };
          return { response: detail(405, `Method "${request.method}" not allowed.`), pusher };
        }
        if (request.invalidJson) return { response: detail(400, 'JSON parse error - Expecting value: line 1 column 1 (char 0)'), pusher };
        const response = db.transaction(() => handler(request, params, pusher))();
        return { response, pusher };
      }
      return { response: { status: 404, html: NOT_FOUND_HTML }, pusher };
    },
  };
}
