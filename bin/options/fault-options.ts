/**
 * `emulate`'s fault flags: shares of requests that fail (fractions), latency spikes and replica
 * stalls. Each fault maps to the error the cloud would really return (load-tests/emulator/faults.ts).
 */
import type { Option } from 'commander';
import type { StallFault } from '../../load-tests/emulator';
import { parseDurationSeconds } from './duration';
import { parseFraction } from './fraction';
import { parseNumber } from './number';
import { typedOption } from './typed-option';
import { badValue } from './usage-error';

/** `p=0.01,ms=800`: one request in a hundred takes 800 ms longer (the field's name is its unit). */
export function parseLatencySpike(flag: string, text: string): { probability: number; extraMs: number } {
  const fields = parseFields(flag, text, ['p', 'ms'], 'p=0.01,ms=800');
  return { probability: parseFraction(`${flag} p`, fields.p), extraMs: parseNumber(`${flag} ms`, fields.ms, { min: 0, unit: 'milliseconds' }) };
}

/** `every=5s,for=1s[,replicas=1|all]`: the first replica of each variant stops answering 1 s in every 5 (durations as everywhere: a bare number is seconds). */
export function parseStall(flag: string, text: string): StallFault {
  const fields = parseFields(flag, text, ['every', 'for', 'replicas'], 'every=5s,for=1s,replicas=1', ['replicas']);
  const everyMs = parseDurationSeconds(`${flag} every`, fields.every) * 1000;
  const forMs = parseDurationSeconds(`${flag} for`, fields.for) * 1000;
  if (forMs >= everyMs) throw badValue(flag, text, '"for" shorter than "every"');
  const replicasText = fields.replicas ?? '1';
  if (replicasText === 'all') return { everyMs, forMs, replicas: 'all' };
  const replicas = Number(replicasText);
  if (!Number.isInteger(replicas) || replicas < 1) throw badValue(`${flag} replicas`, replicasText, 'a whole number >= 1 or "all"');
  return { everyMs, forMs, replicas };
}

export function latencySpikeOption(flags: string, description: string): Option {
  return typedOption(flags, description, parseLatencySpike);
}

export function stallOption(flags: string, description: string): Option {
  return typedOption(flags, description, parseStall);
}

function parseFields(flag: string, text: string, allowed: readonly string[], example: string, optional: readonly string[] = []): Record<string, string> {
  const form = `${allowed.map((k) => `${k}=…`).join(',')} (for example ${example})`;
  const fields: Record<string, string> = {};
  for (const part of text.split(',')) {
    const [key, value, ...rest] = part.split('=').map((s) => s.trim());
    if (!key || value === undefined || rest.length > 0 || !allowed.includes(key)) throw badValue(flag, text, form);
    fields[key] = value;
  }
  const missing = allowed.filter((k) => !optional.includes(k) && fields[k] === undefined);
  if (missing.length) throw badValue(flag, text, `${form}; missing ${missing.join(', ')}`);
  return fields;
}
