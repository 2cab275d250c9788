/**
 * electron-builder afterPack hook: flips Electron's fuses in the packaged binary before it is signed
 * (electron-builder signs after this hook), closing the doors the kiosk never uses: running as plain
 * Node, NODE_OPTIONS, --inspect, loading code from outside app.asar; cookie encryption on; asar
 * integrity validation where Electron supports it (macOS, Windows). First it refuses a package
 * without the third-party notices and the ffmpeg licence and source offer (written by
 * `npm run notices`, a step of `npm run dist`), so no installer leaves without them.
 */
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- electron-builder loads hooks as CommonJS
const path = require('node:path');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = require('node:fs');

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

/** The notices every package must carry, relative to app.asar.unpacked (src/main/platform/paths.ts RELATIVE). */
const REQUIRED_NOTICES = ['resources/notices/THIRD-PARTY-NOTICES.txt', 'resources/notices/ffmpeg/COPYING.GPLv3', 'resources/notices/ffmpeg/SOURCE-OFFER.txt'];

/** The packaged app's resources folder (inside the .app bundle on macOS). */
function resourcesDir(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') {
    return path.join(appOutDir, `${packager.appInfo.productFilename}.app`, 'Contents', 'Resources');
  }
  return path.join(appOutDir, 'resources');
}

/** Throws when a required notice is missing or empty in the packed app. */
function checkNotices(context) {
  const unpacked = path.join(resourcesDir(context), 'app.asar.unpacked');
  const missing = REQUIRED_NOTICES.filter((rel) => {
    const file = path.join(unpacked, rel);
    return !fs.existsSync(file) || fs.statSync(file).size === 0;
  });
  if (missing.length > 0) {
    throw new Error(`The package has no ${missing.join(', ')}: run \`npm run notices\` before electron-builder (\`npm run dist\` does both)`);
  }
}

async function afterPack(context) {
  checkNotices(context);
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
module.exports.REQUIRED_NOTICES = REQUIRED_NOTICES;
