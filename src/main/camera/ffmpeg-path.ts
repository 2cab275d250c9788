/**
 * Where the ffmpeg binary lives: the one shipped inside @ffmpeg-installer (nothing is downloaded at
 * run time), rewritten to app.asar.unpacked in a packaged app, overridable for tests and odd installs.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';

const requireHere = createRequire(typeof __filename === 'string' ? __filename : `${process.cwd()}/index.js`);

/**
 * Resolves the ffmpeg executable path: `HOTELMATE_FFMPEG` if set, else @ffmpeg-installer's binary
 * for this platform (with `app.asar` replaced by `app.asar.unpacked`). Throws an Error naming what is
 * missing when no binary can be found.
 */
export function resolveFfmpegPath(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.HOTELMATE_FFMPEG;
  if (override) {
    if (!fs.existsSync(override)) throw new Error(`HOTELMATE_FFMPEG points to ${override}, which does not exist`);
    return override;
  }
  let found: string;
  try {
    found = (requireHere('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  } catch (error) {
    throw new Error(
      `The ffmpeg binary for ${process.platform}-${process.arch} is not installed (@ffmpeg-installer/ffmpeg): ${(error as Error).message}`,
    );
  }
  const unpacked = found.replace(`app.asar${pathSep()}`, `app.asar.unpacked${pathSep()}`);
  if (fs.existsSync(unpacked)) return unpacked;
  if (fs.existsSync(found)) return found;
  throw new Error(`The ffmpeg binary is missing at ${found}; reinstall the app or set HOTELMATE_FFMPEG`);
}

function pathSep(): string {
  return process.platform === 'win32' ? '\\' : '/';
}
