/**
 * What an endpoint family of the HotelMate double is given (the model, the gates, the serializers,
 * the Pusher side effects, the face matcher) and what it gives back (its routes), so the router can
 * register every family in one list.
 */
import type { FaceMatcher } from '../matching';
import type { Model } from '../model';
import type { Gates } from '../permissions';
import type { Route } from '../protocol';
import type { PusherEvents } from '../pusher';
import type { Serializers } from '../serializers';

export interface EndpointDeps {
  model: Model;
  gates: Gates;
  serializers: Serializers;
  pusher: PusherEvents;
  matcher: FaceMatcher;
}

/** One family of endpoints (sign-in, staff, roster, faces, face clock, clock logs). */
export interface EndpointFamily {
  name: string;
  routes(deps: EndpointDeps): Route[];
}
