/** Both hosts' bundles are built offline and are byte-for-byte the same on every build: an unchanged worker deploys nothing new. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMBEDDING_REFRESH_ENTRY } from '../../aws/embedding-refresh-pipeline';
import { bundleHandler } from '../../aws/private/bundled-handler';
import { EMBEDDING_REFRESH_FUNCTION_ENTRY } from '../../gcp/embedding-refresh-pipeline';
import { functionSource } from '../../gcp/private/function-source';

describe('embedding-refresh bundles', () => {
  it('bundles the Lambda entry identically twice, without CDK or Pulumi in it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'embedding-refresh-bundle-'));
    try {
      bundleHandler(EMBEDDING_REFRESH_ENTRY, join(dir, 'a.js'));
      bundleHandler(EMBEDDING_REFRESH_ENTRY, join(dir, 'b.js'));
      const a = readFileSync(join(dir, 'a.js'), 'utf8');
      expect(a).toBe(readFileSync(join(dir, 'b.js'), 'utf8'));
      expect(a).not.toMatch(/aws-cdk-lib|@pulumi\//);
      expect(a).not.toContain(process.cwd());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the function source archive after its content, the same on every build', () => {
    const first = functionSource(EMBEDDING_REFRESH_FUNCTION_ENTRY, 'news-dev-embedding-refresh');
    const second = functionSource(EMBEDDING_REFRESH_FUNCTION_ENTRY, 'news-dev-embedding-refresh');
    expect(first.objectName).toMatch(/^news-dev-embedding-refresh-[0-9a-f]{16}\.zip$/);
    expect(second.objectName).toBe(first.objectName);
    expect(functionSource(EMBEDDING_REFRESH_FUNCTION_ENTRY, 'other').objectName).not.toBe(first.objectName);
  });
});
