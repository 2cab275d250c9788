/**
 * One raw HTTP call to the HotelMate double, for tests that check the wire itself (status, exact
 * JSON, HTML error pages) without the kiosk's client in between.
 */

export interface RawAnswer {
  status: number;
  /** The parsed body, or null when it is not JSON (Django's HTML pages). */
  json: unknown;
  text: string;
}

/** Sends `body` (an object as JSON, a string as is) with `Authorization: Token <token>` when a token is given. */
export async function rawCall(baseUrl: string, token: string | null, method: string, path: string, body?: unknown): Promise<RawAnswer> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Token ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, json, text };
}
