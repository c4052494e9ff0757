export * from './builtin-profiles';
export * from './profile-files';
export * from './select-profile';
export * from './traffic-schedule';
