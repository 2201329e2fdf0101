// Which URLs a browser may register as its push endpoint. The server POSTs to them, so an
// open list would let anyone aim the server at internal addresses: only known push services.

/** Whether `endpoint` is at one of `allowed` (origins; `https://*.example.com` for subdomains). */
export function isAllowedPushEndpoint(endpoint: string, allowed: string[]): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  return allowed.some((entry) => {
    const match = /^(https?):\/\/(\*\.)?([^/:]+)(:\d+)?\/?$/.exec(entry);
    if (!match) return false;
    const [, scheme, wildcard, host, port] = match;
    if (url.protocol !== `${scheme}:`) return false;
    if ((port ?? '') !== (url.port ? `:${url.port}` : '')) return false;
    return wildcard ? url.hostname.endsWith(`.${host}`) : url.hostname === host;
  });
}
