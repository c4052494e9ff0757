import { preset, presetInput, parseTopology, resolveTopology } from './constructs';
import { checkTopologyUpdate } from './aws/check-update/check-update';
const from = resolveTopology(preset('prod'));
const input = presetInput('prod'); input.endpoints[0].compute = { cpus: 8, memoryGiB: 32 };
const to = resolveTopology(parseTopology(input));
const t0 = Date.now();
const r = checkTopologyUpdate(from, to);
console.log(Date.now()-t0, r.deployable);
for (const c of r.changes) console.log(c.action, c.logicalId, c.type, '|', c.reason, c.remedy ? '| '+c.remedy : '');
