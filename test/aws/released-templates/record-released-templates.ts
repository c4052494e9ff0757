/**
 * Records the templates of the checked-out commit under `test/aws/released-templates/<commit>/`,
 * one file per base topology: `npx tsx test/aws/released-templates/record-released-templates.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { BASES, type Base } from '../topology-bases';
import { releasedTemplatePath, releasedTemplatesDir, synthesizedTemplate } from './released-templates';

const commit = execFileSync('git', ['rev-parse', '--short=7', 'HEAD'], { encoding: 'utf8' }).trim();
mkdirSync(releasedTemplatesDir(commit), { recursive: true });
for (const base of Object.keys(BASES) as Base[]) {
  writeFileSync(releasedTemplatePath(commit, base), `${JSON.stringify(synthesizedTemplate(base, undefined, 'current'), null, 1)}\n`);
  process.stdout.write(`${releasedTemplatePath(commit, base)}\n`);
}
