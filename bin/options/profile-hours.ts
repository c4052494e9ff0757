/** `--hours`: how many hours of a traffic profile, the same range for `loadtest` and the simulation commands. */
import type { Option } from 'commander';
import { MAX_HOURS } from '../../load-tests/traffic/traffic-schedule';
import { numberOption } from './number';

export function profileHoursOption(description: string): Option {
  return numberOption('--hours <hours>', description, { above: 0, max: MAX_HOURS, unit: 'hours' });
}
