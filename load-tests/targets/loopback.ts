/** True for URLs on this machine: the local endpoints, which get dummy credentials. */
export function isLoopbackUrl(url: string | URL): boolean {
  const host = (typeof url === 'string' ? new URL(url) : url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
