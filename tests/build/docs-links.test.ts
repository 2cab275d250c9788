/**
 * The README and the installer-facing docs link only to files inside the repository (a fresh clone
 * has no ../shared), and every such link resolves.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './builder-config';

const DOCS = ['README.md', 'docs/install.md', 'docs/licences.md', 'docs/manager-guide.md', 'docs/operations.md'];

describe('documentation links', () => {
  for (const doc of DOCS) {
    it(`${doc}: every relative link stays in the repository and exists`, () => {
      const text = fs.readFileSync(path.join(repoRoot, doc), 'utf8');
      const problems: string[] = [];
      for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = (match[1] as string).split('#')[0] as string;
        if (target === '' || /^[a-z]+:/i.test(target)) continue;
        const resolved = path.resolve(path.dirname(path.join(repoRoot, doc)), target);
        if (path.relative(repoRoot, resolved).startsWith('..')) problems.push(`${target} points outside the repository`);
        else if (!fs.existsSync(resolved)) problems.push(`${target} does not exist`);
      }
      expect(problems).toEqual([]);
    });
  }
});
