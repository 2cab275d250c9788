/**
 * Loading the ONNX models of the face worker: onnxruntime sessions with intra-op spinning off, each
 * file checked against the sha256 in models/manifest.json first, and errors that name the file and
 * the fix (`npm run models:build`). Shared by the face pipeline and the anti-spoof nets.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Logger } from '../../logging/logger';

/** onnxruntime options for the face worker's sessions. */
export function sessionOptions(threads: number): ort.InferenceSession.SessionOptions {
  // Spinning off: default intra-op spinning steals the JS thread's CPU on 2 cores (2.5-3.7x slower).
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  } as ort.InferenceSession.SessionOptions;
}

const REBUILD_HINT = 'run `npm run models:build` to rebuild the face models';

/** Loads one model, rejecting with a message that names the file and the fix. */
export async function loadSession(path: string, expectedSha: string | undefined, threads: number): Promise<ort.InferenceSession> {
  if (!existsSync(path)) throw new Error(`Face model file missing: ${path}; ${REBUILD_HINT}`);
  const bytes = readFileSync(path);
  if (expectedSha) {
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== expectedSha) throw new Error(`Face model file corrupt: ${path} (sha256 differs from models/manifest.json); ${REBUILD_HINT}`);
  }
  try {
    return await ort.InferenceSession.create(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), sessionOptions(threads));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`Face model file corrupt or unreadable: ${path} (${reason}); ${REBUILD_HINT}`);
  }
}

/** sha256 of each model file as models/manifest.json records it ({} when it is absent or unreadable: integrity then unchecked, logged). */
export function manifestHashes(modelsDir: string, logger: Logger): Record<string, string> {
  const path = join(modelsDir, 'manifest.json');
  if (!existsSync(path)) {
    logger.warn('face models have no manifest.json: integrity not checked', { modelsDir });
    return {};
  }
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as { files?: Record<string, { sha256?: string }> };
    const out: Record<string, string> = {};
    for (const [file, entry] of Object.entries(manifest.files ?? {})) if (entry.sha256) out[file] = entry.sha256;
    return out;
  } catch {
    logger.warn('face models manifest.json is unreadable: integrity not checked', { path });
    return {};
  }
}
