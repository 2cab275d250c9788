/**
 * The kiosk window's security decisions as plain functions (no electron import), so they are unit-
 * tested under Node: which URLs are our renderer, the Content-Security-Policy, which key presses a
 * guest must not be able to use, and what to do about a permission request (always: no).
 */
import { pathToFileURL } from 'node:url';

export interface TrustedOrigins {
  /** The built renderer's index.html (file path). */
  rendererIndexHtml: string;
  /** electron-vite's dev server URL (ELECTRON_RENDERER_URL) in development only. */
  devServerUrl?: string;
}

/**
 * True for our own renderer page: the built index.html over file:// (any hash/query), or a page of
 * the dev server's origin in development. Everything else (http pages, other files) is foreign.
 */
export function isTrustedRendererUrl(url: string, origins: TrustedOrigins): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'file:') {
    const index = pathToFileURL(origins.rendererIndexHtml);
    return parsed.pathname === index.pathname && parsed.host === index.host;
  }
  if (origins.devServerUrl) {
    try {
      return parsed.origin === new URL(origins.devServerUrl).origin;
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * The CSP sent as a response header (the renderer's index.html carries the same policy in a meta
 * tag; both apply). The renderer talks to main only through IPC, so it may connect nowhere else;
 * staff photos may come from HotelMate over https.
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self' blob:",
  ].join('; ');
}

/** Adds the CSP to a response's headers (replacing any the response carried). */
export function withCspHeader(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') out[name] = value;
  }
  out['Content-Security-Policy'] = [contentSecurityPolicy()];
  return out;
}

/** The subset of Electron's `Input` (before-input-event) the shortcut policy reads. */
export interface KeyInput {
  type: string;
  key: string;
  code?: string;
  control: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
}

/**
 * Key presses that would let a guest leave, reload, inspect, zoom or print the kiosk. In development
 * devtools and reload stay available. Returns the reason to block, or null to let the key through.
 */
export function blockedShortcut(input: KeyInput, production: boolean): string | null {
  if (input.type !== 'keyDown') return null;
  const key = input.key.length === 1 ? input.key.toLowerCase() : input.key;
  const mod = input.control || input.meta;
  const devOnly = (reason: string): string | null => (production ? reason : null);
  if (key === 'F12') return devOnly('devtools');
  if (mod && input.shift && ['i', 'j', 'c'].includes(key)) return devOnly('devtools');
  if (input.meta && input.alt && key === 'i') return devOnly('devtools');
  if (key === 'F5' || (mod && key === 'r')) return devOnly('reload');
  // Always blocked, even in development: these leave or break the kiosk screen.
  if (key === 'F11') return 'fullscreen toggle';
  if (input.alt && key === 'F4') return 'close window';
  if (mod && ['w', 'q', 'n', 't'].includes(key)) return 'close or new window';
  if (mod && ['p', 's', 'o', 'f', 'g', 'u'].includes(key)) return 'print, save, open or find';
  if (mod && ['+', '=', '-', '_', '0'].includes(key)) return 'zoom';
  if (input.alt && (key === 'ArrowLeft' || key === 'ArrowRight')) return 'history navigation';
  if (key === 'BrowserBack' || key === 'BrowserForward' || key === 'BrowserRefresh') return 'history navigation';
  return null;
}

/** Every permission (camera, microphone, notifications, geolocation, HID, USB, serial...) is refused: the camera belongs to main. */
export function permissionDecision(_permission: string): false {
  return false;
}

/**
 * How long a renderer may stay unresponsive before it is reloaded. Electron reports "unresponsive"
 * after a few seconds of a blocked event loop; a short hang (a big layout) recovers by itself.
 */
export const UNRESPONSIVE_GRACE_MS = 15_000;
