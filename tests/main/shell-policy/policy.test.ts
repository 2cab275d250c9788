import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type KeyInput, blockedShortcut, contentSecurityPolicy, isTrustedRendererUrl, permissionDecision, withCspHeader } from '../../../src/main/shell/policy';

const index = path.resolve('/opt/HotelMate Kiosk/resources/app.asar/out/renderer/index.html');
const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({ type: 'keyDown', key: k, control: false, meta: false, alt: false, shift: false, ...mods });

describe('kiosk window policy', () => {
  it('trusts only our renderer page (file:// index, or the dev server origin in development)', () => {
    const own = pathToFileURL(index).href;
    expect(isTrustedRendererUrl(own, { rendererIndexHtml: index })).toBe(true);
    expect(isTrustedRendererUrl(`${own}#/admin`, { rendererIndexHtml: index })).toBe(true);
    expect(isTrustedRendererUrl(pathToFileURL('/etc/passwd').href, { rendererIndexHtml: index })).toBe(false);
    expect(isTrustedRendererUrl(pathToFileURL(path.join(path.dirname(index), 'other.html')).href, { rendererIndexHtml: index })).toBe(false);
    expect(isTrustedRendererUrl('https://evil.example/', { rendererIndexHtml: index })).toBe(false);
    expect(isTrustedRendererUrl('http://localhost:5173/', { rendererIndexHtml: index })).toBe(false);
    expect(isTrustedRendererUrl('http://localhost:5173/#/x', { rendererIndexHtml: index, devServerUrl: 'http://localhost:5173' })).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5174/', { rendererIndexHtml: index, devServerUrl: 'http://localhost:5173' })).toBe(false);
    expect(isTrustedRendererUrl('not a url', { rendererIndexHtml: index })).toBe(false);
  });

  it('the CSP allows no remote script, no inline script, no eval, no frames, no plugins', () => {
    const csp = contentSecurityPolicy();
    const directive = (name: string): string => csp.split('; ').find((d) => d.startsWith(`${name} `)) ?? '';
    expect(directive('script-src')).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toMatch(/'unsafe-eval'|script-src[^;]*'unsafe-inline'|script-src[^;]*https?:/);
    expect(directive('object-src')).toBe("object-src 'none'");
    expect(directive('frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive('connect-src')).toBe("connect-src 'self'");
    const headers = withCspHeader({ 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] });
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [csp] });
  });

  it('in production blocks devtools, reload, zoom, print, close and history keys; lets typing through', () => {
    const blocked: KeyInput[] = [
      key('F12'),
      key('I', { control: true, shift: true }),
      key('i', { meta: true, alt: true }),
      key('F5'),
      key('r', { control: true }),
      key('R', { control: true, shift: true }),
      key('F11'),
      key('F4', { alt: true }),
      key('w', { control: true }),
      key('q', { meta: true }),
      key('p', { control: true }),
      key('=', { control: true }),
      key('0', { control: true }),
      key('ArrowLeft', { alt: true }),
      key('BrowserBack'),
    ];
    for (const input of blocked) expect(blockedShortcut(input, true), JSON.stringify(input)).not.toBeNull();
    for (const input of [key('1'), key('Enter'), key('Backspace'), key('a', { shift: true }), key('Tab'), key('Escape')]) {
      expect(blockedShortcut(input, true), JSON.stringify(input)).toBeNull();
    }
    // key-up events are never blocked (the matching key-down already was)
    expect(blockedShortcut({ ...key('F12'), type: 'keyUp' }, true)).toBeNull();
  });

  it('in development keeps devtools and reload, but still blocks leaving the kiosk', () => {
    expect(blockedShortcut(key('F12'), false)).toBeNull();
    expect(blockedShortcut(key('r', { control: true }), false)).toBeNull();
    expect(blockedShortcut(key('F4', { alt: true }), false)).toBe('close window');
    expect(blockedShortcut(key('w', { control: true }), false)).toBe('close or new window');
  });

  it('refuses every permission', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'usb', 'serial', 'fullscreen', 'openExternal']) {
      expect(permissionDecision(permission)).toBe(false);
    }
  });
});
