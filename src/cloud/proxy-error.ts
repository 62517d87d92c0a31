// A proxy setting the daemon cannot use (HTTPS_PROXY, HTTP_PROXY, NO_PROXY or api.proxy): the CLI
// prints its one line and exits 3, like a config problem. The message never holds a password.
export class ProxyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProxyConfigError';
  }
}
