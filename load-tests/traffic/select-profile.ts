/** `--profile <name|file>`, the same on `simulate`, `compare`, `cost`, `recommend` and `loadtest`. */
import { BUILTIN_PROFILES, builtinSchedule, type BuiltinProfileName } from './builtin-profiles';
import { loadProfileFile } from './profile-files';
import { ProfileError, type TrafficSchedule } from './traffic-schedule';

export interface ProfileSelection {
  /** Hours of a built-in profile, or where to cut a file. @default 24 for a built-in, a file's own length */
  readonly hours?: number;
  /** For the breaking-news profile. */
  readonly spikesPerWeek?: number;
}

export function isBuiltinProfile(name: string): name is BuiltinProfileName {
  return (BUILTIN_PROFILES as readonly string[]).includes(name);
}

/** A built-in profile by name, or a profile file by path. */
export function selectProfile(nameOrFile: string, selection: ProfileSelection = {}): TrafficSchedule {
  if (isBuiltinProfile(nameOrFile)) {
    if (selection.spikesPerWeek !== undefined && nameOrFile !== 'breaking-news') {
      throw new ProfileError(`--spikes-per-week: applies to the breaking-news profile, not ${nameOrFile}`);
    }
    return builtinSchedule(nameOrFile, selection);
  }
  if (!/[./\\]/.test(nameOrFile)) {
    throw new ProfileError(`--profile: "${nameOrFile}" is neither a built-in profile (${BUILTIN_PROFILES.join(', ')}) nor a file path`);
  }
  if (selection.spikesPerWeek !== undefined) {
    throw new ProfileError(`--spikes-per-week: applies to the breaking-news profile; a profile file states its own spikesPerWeek`);
  }
  return loadProfileFile(nameOrFile, selection.hours);
}
