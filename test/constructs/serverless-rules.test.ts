/** The serverless rules, decided once and read by the schema and by the AWS ModelEndpoint. */
import { describe, expect, it } from 'vitest';
import { parseTopology, presetInput, serverlessProblems, type ServerlessRuleInput } from '../../constructs';

const keeps: ServerlessRuleInput = { mode: 'serverless', hasServerlessConfig: true, variantCount: 1, capturesData: false, accelerated: false };

describe('serverlessProblems', () => {
  it('finds nothing in a serverless endpoint that keeps the rules, nor in a realtime one without serverless config', () => {
    expect(serverlessProblems(keeps)).toEqual([]);
    expect(serverlessProblems({ ...keeps, mode: 'realtime', hasServerlessConfig: false, variantCount: 3, capturesData: true, accelerated: true })).toEqual([]);
  });

  it('lists every broken rule of a serverless endpoint, each with the field it is about', () => {
    expect(serverlessProblems({ mode: 'serverless', hasServerlessConfig: false, variantCount: 2, capturesData: true, accelerated: true })).toEqual([
      { field: 'serverless', message: 'required when mode is serverless' },
      { field: 'variants', message: 'serverless endpoints take one variant, got 2' },
      { field: 'dataCapture', message: 'serverless endpoints do not support data capture; remove it or use mode realtime' },
      { field: 'accelerator', message: 'serverless endpoints run on CPU only (SageMaker ServerlessConfig)' },
    ]);
  });

  it('refuses a serverless config outside serverless mode', () => {
    expect(serverlessProblems({ ...keeps, mode: 'async' })).toEqual([{ field: 'serverless', message: 'only allowed when mode is serverless (mode is async)' }]);
  });

  it('is what the schema reports, at the schema\'s paths', () => {
    const input = presetInput('dev');
    const endpoint = { ...input.endpoints[0], mode: 'serverless' as const, compute: { accelerator: { type: 'l4' as const, count: 1 } } };
    expect(() => parseTopology({ ...input, endpoints: [endpoint] })).toThrow(/endpoints\[0\]\.compute\.accelerator\.type: serverless endpoints run on CPU only/);
    expect(() => parseTopology({ ...input, endpoints: [endpoint] })).toThrow(/endpoints\[0\]\.serverless: required when mode is serverless/);
  });
});
