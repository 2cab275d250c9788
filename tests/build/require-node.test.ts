/**
 * `npm run dist` stops at its first step on a Node.js older than the packaging tools declare, with a
 * message that names the command, the version needed, who needs it and the Node running; the
 * minimum is read from the installed tools' engines, so it follows their upgrades.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareVersions, minimumNode, nodeTooOldMessage } from '../../scripts/require-node';
import { repoRoot } from './builder-config';

describe('require-node', () => {
  it('reads 22.12.0 from @electron/fuses, @electron/rebuild and node-abi', () => {
    expect(minimumNode(repoRoot)).toEqual({ version: '22.12.0', by: ['@electron/fuses', '@electron/rebuild', 'node-abi'] });
  });

  it('compares versions numerically, not as text', () => {
    expect(compareVersions('v20.20.2', '22.12.0')).toBeLessThan(0);
    expect(compareVersions('22.12.0', '22.12.0')).toBe(0);
    expect(compareVersions('22.9.0', '22.12.0')).toBeLessThan(0);
    expect(compareVersions('v24.1.0', '22.12.0')).toBeGreaterThan(0);
  });

  it('says exactly what is wrong on an old Node, and nothing on a new one', () => {
    const required = { version: '22.12.0', by: ['@electron/fuses'] };
    expect(nodeTooOldMessage('npm run dist', 'v20.19.0', required)).toMatch(/^npm run dist needs Node\.js 22\.12\.0 or newer \(@electron\/fuses require it\); this is Node\.js 20\.19\.0\./);
    expect(nodeTooOldMessage('npm run dist', 'v22.12.0', required)).toBeNull();
  });

  it('refuses an engines range it cannot read instead of ignoring it', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'engines-'));
    try {
      fs.mkdirSync(path.join(root, 'node_modules', 'odd'), { recursive: true });
      fs.writeFileSync(path.join(root, 'node_modules', 'odd', 'package.json'), JSON.stringify({ engines: { node: '^20.17.0 || >=22.9.0' } }));
      expect(() => minimumNode(root, ['odd'])).toThrow(/cannot read/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('as a command: exit 1 with the message on this machine when Node is older than 22.12, else exit 0', () => {
    const run = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), path.join(repoRoot, 'scripts/require-node.ts'), 'npm run dist'], { encoding: 'utf8' });
    if (compareVersions(process.version, '22.12.0') < 0) {
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`npm run dist needs Node.js 22.12.0 or newer`);
      expect(run.stderr).toContain(`this is Node.js ${process.versions.node}`);
    } else {
      expect(run.status).toBe(0);
    }
  });
});

describe('the docs state the Node each command needs', () => {
  it('README and docs/install.md name the engines minimum for install/test and the packaging minimum for dist', () => {
    const engines = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    const install = /^>=(\d+\.\d+)$/.exec(engines)?.[1];
    const dist = minimumNode(repoRoot).version.split('.').slice(0, 2).join('.');
    expect(install).toBe('20.19');
    for (const doc of ['README.md', 'docs/install.md']) {
      const text = fs.readFileSync(path.join(repoRoot, doc), 'utf8').replace(/\s+/g, ' ');
      expect(text.includes(`${install} or newer`), `${doc} says ${install} or newer`).toBe(true);
      const v = dist.replace('.', '\\.');
      const near = new RegExp(`${v} or newer\\*?\\*? for \`npm run dist\`|\`npm run dist\` needs \\*?\\*?Node\\.js ${v} or newer`);
      expect(near.test(text), `${doc} says npm run dist needs ${dist} or newer`).toBe(true);
    }
  });
});
