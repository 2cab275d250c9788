/** A fake Linux camera tree for tests: a sysfs folder (`video4linux` entries with name and index) and a /dev folder. */
import fs from 'node:fs';
import path from 'node:path';

export interface FakeLinux {
  sysfs: string;
  dev: string;
  /** "Plugs in" a camera node: its sysfs entry (index 0 = capture, >0 = metadata) and its /dev file. */
  plug(node: string, name: string, index?: number): void;
}

/** Builds the tree under `root` (a temporary folder the caller removes). */
export function fakeLinux(root: string): FakeLinux {
  const sysfs = path.join(root, 'sys');
  const dev = path.join(root, 'dev');
  fs.mkdirSync(sysfs);
  fs.mkdirSync(dev);
  return {
    sysfs,
    dev,
    plug(node, name, index = 0) {
      fs.mkdirSync(path.join(sysfs, node));
      fs.writeFileSync(path.join(sysfs, node, 'name'), `${name}\n`);
      fs.writeFileSync(path.join(sysfs, node, 'index'), `${index}\n`);
      fs.writeFileSync(path.join(dev, node), '');
    },
  };
}
