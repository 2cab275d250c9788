/**
 * Finds Linux cameras the way udev does, without spawning anything: each /sys/class/video4linux
 * entry has a `name` (the camera's label) and an `index` (0 = the capture node; other indexes of the
 * same camera are metadata nodes that cannot stream). The sysfs and /dev roots are injectable so tests
 * can build a fake tree.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface V4l2Node {
  /** Device path, e.g. /dev/video0. */
  path: string;
  /** Entry name, e.g. video0. */
  node: string;
  label: string;
  /** The node's index within its camera (0 = capture); null when sysfs does not say. */
  index: number | null;
}

/**
 * Lists V4L2 capture nodes from `sysfsRoot` (default /sys/class/video4linux), sorted by number,
 * skipping metadata nodes (index > 0). Resolves an empty list when the folder does not exist; never
 * throws for an unreadable entry (it is skipped).
 */
export function listV4l2Nodes(sysfsRoot = '/sys/class/video4linux', devRoot = '/dev'): V4l2Node[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(sysfsRoot);
  } catch {
    return [];
  }
  const nodes: V4l2Node[] = [];
  for (const node of entries) {
    if (!/^video\d+$/.test(node)) continue;
    const label = readTrimmed(path.join(sysfsRoot, node, 'name')) ?? node;
    const indexText = readTrimmed(path.join(sysfsRoot, node, 'index'));
    const index = indexText !== null && /^\d+$/.test(indexText) ? Number(indexText) : null;
    if (index !== null && index > 0) continue;
    nodes.push({ path: path.join(devRoot, node), node, label, index });
  }
  return nodes.sort((a, b) => Number(a.node.slice(5)) - Number(b.node.slice(5)));
}

function readTrimmed(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}
