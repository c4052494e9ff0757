/**
 * Debian's Chromium for the browser tests, brought by the tests themselves so `npm ci && npm test`
 * passes on a fresh machine: the installed one (CHROMIUM_PATH overrides /usr/bin/chromium), or
 * Debian's package installed with apt-get when this process may (root, or password-less sudo).
 * Otherwise one line saying what to run. Never a download of a tool's own browser: the machines
 * this suite runs on reach the npm and Debian registries only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const DEFAULT_PATH = '/usr/bin/chromium';
const INSTALL = 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium';
/** apt-get fetches about 100 MB for chromium and its libraries. */
export const CHROMIUM_INSTALL_TIMEOUT_MS = 15 * 60_000;

/** The path of a Chromium binary, installing Debian's package first when it is missing and can be installed. */
export function ensureChromium(): string {
  const path = process.env.CHROMIUM_PATH ?? DEFAULT_PATH;
  if (existsSync(path)) return path;
  if (process.env.CHROMIUM_PATH) throw new Error(`no Chromium at CHROMIUM_PATH=${path}: point it at a Chromium binary, or unset it to use Debian's ${DEFAULT_PATH}`);
  const prefix = installPrefix();
  if (prefix === undefined) {
    throw new Error(`no Chromium at ${DEFAULT_PATH}, and this user cannot install it: run \`sudo apt-get install -y chromium\` (Debian) or set CHROMIUM_PATH`);
  }
  const install = spawnSync('sh', ['-c', `${prefix}sh -c '${INSTALL}'`], { encoding: 'utf8', timeout: CHROMIUM_INSTALL_TIMEOUT_MS });
  if (install.status !== 0 || !existsSync(DEFAULT_PATH)) {
    const why = (install.stderr || install.error?.message || `exit ${install.status}`).trim().split('\n').pop();
    throw new Error(`no Chromium at ${DEFAULT_PATH}, and installing Debian's package failed (${why}): run \`sudo apt-get install -y chromium\``);
  }
  return DEFAULT_PATH;
}

/** '' when root, 'sudo -n ' with password-less sudo, undefined when apt-get cannot be run. */
function installPrefix(): string | undefined {
  if (!commandExists('apt-get')) return undefined;
  if (process.getuid?.() === 0) return '';
  return commandExists('sudo') && spawnSync('sudo', ['-n', 'true']).status === 0 ? 'sudo -n ' : undefined;
}

function commandExists(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}
