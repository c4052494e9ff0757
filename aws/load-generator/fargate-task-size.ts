/**
 * The CPU and memory pairs a Fargate task may have (Amazon ECS Developer Guide, "Amazon ECS task
 * definitions for Fargate", Task CPU and memory:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size).
 * RegisterTaskDefinition refuses any other pair; checking at synth says so before a deploy fails.
 */
import { Token } from 'aws-cdk-lib';

/** CPU units (1024 = 1 vCPU) → memory in MiB from, to, in steps of. */
const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, { readonly values?: readonly number[]; readonly from?: number; readonly to?: number; readonly step?: number }>> = {
  256: { values: [512, 1024, 2048] },
  512: { from: 1024, to: 4096, step: 1024 },
  1024: { from: 2048, to: 8192, step: 1024 },
  2048: { from: 4096, to: 16384, step: 1024 },
  4096: { from: 8192, to: 30720, step: 1024 },
  8192: { from: 16384, to: 61440, step: 4096 },
  16384: { from: 32768, to: 122880, step: 8192 },
};

function memoryChoices(cpu: number): number[] {
  const rule = FARGATE_MEMORY_BY_CPU[cpu];
  if (rule.values) return [...rule.values];
  const choices: number[] = [];
  for (let m = rule.from as number; m <= (rule.to as number); m += rule.step as number) choices.push(m);
  return choices;
}

/** Every problem with the pair (none when it is valid, or when either is an unresolved token). */
export function fargateTaskSizeProblems(cpu: number, memoryLimitMiB: number): string[] {
  if (Token.isUnresolved(cpu) || Token.isUnresolved(memoryLimitMiB)) return [];
  const cpus = Object.keys(FARGATE_MEMORY_BY_CPU).map(Number);
  if (!cpus.includes(cpu)) return [`cpu: must be one of ${cpus.join(', ')} (CPU units, 1024 = 1 vCPU), got ${cpu}`];
  const choices = memoryChoices(cpu);
  if (choices.includes(memoryLimitMiB)) return [];
  const rule = FARGATE_MEMORY_BY_CPU[cpu];
  const allowed = rule.values ? rule.values.join(', ') : `${rule.from} to ${rule.to} in steps of ${rule.step}`;
  return [`memoryLimitMiB: with cpu ${cpu} Fargate allows ${allowed} MiB, got ${memoryLimitMiB}`];
}
