/**
 * electron-builder afterPack hook: flips Electron's fuses in the packaged binary before it is signed
 * (electron-builder signs after this hook), closing the doors the kiosk never uses: running as plain
 * Node, NODE_OPTIONS, --inspect, loading code from outside app.asar; cookie encryption on; asar
 * integrity validation where Electron supports it (macOS, Windows).
 */
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- electron-builder loads hooks as CommonJS
const path = require('node:path');

/** The fuse settings for a platform, as @electron/fuses option names -> boolean. */
function fuseSettings(platform) {
  return {
    RunAsNode: false,
    EnableCookieEncryption: true,
    EnableNodeOptionsEnvironmentVariable: false,
    EnableNodeCliInspectArguments: false,
    EnableEmbeddedAsarIntegrityValidation: platform === 'darwin' || platform === 'win32' ? true : undefined,
    OnlyLoadAppFromAsar: true,
  };
}

/** Path of the binary that carries the fuse wire (the .app bundle on macOS; @electron/fuses finds the framework). */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') {
    return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
  }
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return path.join(appOutDir, packager.executableName);
}

async function afterPack(context) {
  const { flipFuses, FuseVersion, FuseV1Options } = await import('@electron/fuses');
  const platform = context.electronPlatformName;
  const settings = fuseSettings(platform);
  const config = { version: FuseVersion.V1, resetAdHocDarwinSignature: platform === 'darwin' };
  for (const [name, value] of Object.entries(settings)) {
    if (value !== undefined) config[FuseV1Options[name]] = value;
  }
  const binary = electronBinaryPath(context);
  await flipFuses(binary, config);
  console.log(`  • fuses flipped  file=${binary} ${Object.entries(settings).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).join(' ')}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.fuseSettings = fuseSettings;
module.exports.electronBinaryPath = electronBinaryPath;
