/**
 * App-wide Electron hardening (the security checklist): sandbox for every renderer, every permission
 * and device request refused, navigation away from our page and new windows blocked, no <webview>,
 * and the CSP added to every response. Call `enableSandboxEarly()` before `app.whenReady()` and
 * `applyHardening()` right after it.
 */
import { app, session, type WebContents } from 'electron';
import type { Logger } from '../logging/logger';
import { permissionDecision, withCspHeader } from './policy';

/** Must run before the app is ready: forces the sandbox on for every renderer. */
export function enableSandboxEarly(): void {
  app.enableSandbox();
}

export interface HardeningOptions {
  logger: Logger;
  /** Our renderer page (see policy.isTrustedRendererUrl). */
  isTrustedUrl: (url: string) => boolean;
  /** Send the CSP header on responses (off for the dev server, whose HMR needs its own rules). */
  cspHeader: boolean;
}

/** Installs the session and web-contents guards. Returns nothing; idempotent per app run. */
export function applyHardening(options: HardeningOptions): void {
  const log = options.logger.child('security');
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn('permission request refused', { permission });
    callback(permissionDecision(permission));
  });
  ses.setPermissionCheckHandler((_contents, permission) => permissionDecision(permission));
  ses.setDevicePermissionHandler(() => false);
  // The renderer is a view with no network: any request that is not our own page's files (or the
  // dev server in development) is cancelled here, whatever the page tries (e.g. a library's
  // telemetry). The one exception is a staff photo URL from HotelMate (an https image, no script).
  ses.webRequest.onBeforeRequest((details, callback) => {
    const local = ['file:', 'devtools:', 'data:', 'blob:'].some((scheme) => details.url.startsWith(scheme));
    const staffPhoto = details.resourceType === 'image' && details.url.startsWith('https:');
    const allowed = local || staffPhoto || options.isTrustedUrl(details.url);
    if (!allowed) log.warn('renderer network request cancelled', { url: details.url.slice(0, 200) });
    callback({ cancel: !allowed });
  });
  if (options.cspHeader) {
    ses.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withCspHeader(details.responseHeaders) }));
  }
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => {
      log.warn('window.open refused', { url: url.slice(0, 200) });
      return { action: 'deny' };
    });
    const guard = (event: { preventDefault(): void }, url: string): void => {
      if (options.isTrustedUrl(url)) return;
      event.preventDefault();
      log.warn('navigation refused', { url: url.slice(0, 200) });
    };
    contents.on('will-navigate', guard);
    contents.on('will-redirect', guard);
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      log.warn('webview refused');
    });
  });
}
