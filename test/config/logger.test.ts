// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the config text holds literal ${VAR} placeholders
import { Writable } from 'node:stream';
import { ClientError } from '@alicloud/openapi-core';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { createLogger, secretsOf } from '../../src/log/logger.js';
import { isSecretKey, REDACTED } from '../../src/log/redact.js';

const SECRETS = {
  akSecret: 'AkSecretValue-0123456789',
  sts: 'StsTokenValue-abcdefghij',
  auth: 'ApiAuthToken-zyxwvutsrq',
  psk: 'PreSharedKey-Value-42',
};

function capture(secrets: string[] = []) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: 'trace', destination, secrets });
  return { logger, lines, text: () => lines.join('\n') };
}

const config = parseConfig(
  `
server: { authToken: "\${TOKEN}" }
accounts:
  - name: prod
    accessKeyId: LTAI5tExampleKeyId
    accessKeySecret: "\${SK}"
    securityToken: "\${STS}"
    regions: [cn-hangzhou]
`,
  'c.yaml',
  { TOKEN: SECRETS.auth, SK: SECRETS.akSecret, STS: SECRETS.sts },
);

describe('createLogger redaction', () => {
  it('logs a whole config object without any secret', () => {
    const { logger, text, lines } = capture();
    logger.info({ config }, 'loaded config');
    for (const s of [SECRETS.akSecret, SECRETS.sts, SECRETS.auth]) expect(text()).not.toContain(s);
    const record = JSON.parse(lines[0]!);
    expect(record.config.accounts[0]).toMatchObject({
      accessKeyId: 'LTAI5tExampleKeyId',
      accessKeySecret: REDACTED,
      securityToken: REDACTED,
      regions: ['cn-hangzhou'],
    });
    expect(record.config.server.authToken).toBe(REDACTED);
    expect(record.msg).toBe('loaded config');
    expect(record.level).toBe('info');
  });

  it('scrubs PSKs at any depth and authorization headers', () => {
    const { logger, text, lines } = capture();
    logger.warn({
      connection: {
        tunnels: [{ tunnelIkeConfig: { psk: SECRETS.psk, ikeVersion: 'ikev2' } }],
        ikeConfig: { Psk: SECRETS.psk },
      },
      request: {
        headers: {
          Authorization: 'ACS3-HMAC-SHA256 Credential=AK,Signature=abcdef',
          'x-acs-security-token': SECRETS.sts,
        },
      },
      nextToken: 'page-2',
    });
    expect(text()).not.toContain(SECRETS.psk);
    expect(text()).not.toContain('Signature=abcdef');
    expect(text()).not.toContain(SECRETS.sts);
    const record = JSON.parse(lines[0]!);
    expect(record.connection.tunnels[0].tunnelIkeConfig).toEqual({ psk: REDACTED, ikeVersion: 'ikev2' });
    expect(record.nextToken).toBe('page-2');
  });

  it('logs an SDK error object without any secret and keeps what helps debugging', () => {
    const err = new ClientError({
      code: 'Forbidden.RAM',
      message: `Forbidden.RAM: code: 403, denied for key with secret ${SECRETS.akSecret} request id: req-1`,
      statusCode: 403,
      requestId: 'req-1',
      data: { Code: 'Forbidden.RAM', AccessDeniedDetail: { AuthAction: 'vpc:DescribeVpnConnections' } },
      accessDeniedDetail: { AuthAction: 'vpc:DescribeVpnConnections' },
    });
    Object.assign(err, { config: { accessKeySecret: SECRETS.akSecret, securityToken: SECRETS.sts } });
    const { logger, text, lines } = capture(secretsOf(config));
    logger.error({ err }, 'call failed');
    logger.error(err);
    for (const s of [SECRETS.akSecret, SECRETS.sts]) expect(text()).not.toContain(s);
    const record = JSON.parse(lines[0]!);
    expect(record.err).toMatchObject({
      type: 'ClientError',
      code: 'Forbidden.RAM',
      statusCode: 403,
      requestId: 'req-1',
    });
    expect(record.err.accessDeniedDetail.AuthAction).toBe('vpc:DescribeVpnConnections');
    expect(record.err.message).toContain(`denied for key with secret ${REDACTED}`);
    expect(JSON.parse(lines[1]!).msg).toContain(REDACTED);
  });

  it('scrubs known secret values from messages, format arguments and child bindings', () => {
    const { logger, text } = capture(secretsOf(config));
    logger.info(`token is ${SECRETS.auth}`);
    logger.info('value %s and %o', SECRETS.akSecret, { nested: SECRETS.sts });
    logger.child({ account: 'prod', accessKeySecret: SECRETS.akSecret }).info('child');
    expect(text()).not.toContain(SECRETS.auth);
    expect(text()).not.toContain(SECRETS.akSecret);
    expect(text()).not.toContain(SECRETS.sts);
    expect(text()).toContain('"account":"prod"');
  });

  it('also scrubs the credential chain secrets taken from the environment', () => {
    const chainSecret = 'EnvChainSecretValue0123456789';
    const chainToken = 'EnvChainStsToken0123456789';
    const secrets = secretsOf(
      { accounts: [{}] },
      { ALIBABA_CLOUD_ACCESS_KEY_SECRET: chainSecret, ALIBABA_CLOUD_SECURITY_TOKEN: chainToken },
    );
    expect(secrets).toEqual([chainSecret, chainToken]);
    const { logger, text } = capture(secrets);
    logger.error(`credentials rejected: ${chainSecret} / ${chainToken}`);
    expect(text()).not.toContain(chainSecret);
    expect(text()).not.toContain(chainToken);
    expect(text()).toContain(REDACTED);
  });

  it('blanks the user:password@ of any URL (a proxy URL from HTTPS_PROXY or api.proxy.url), keeping the rest', () => {
    const withProxy = parseConfig(
      'api: { proxy: { url: "${PROXY}" } }\naccounts: [{ name: prod, regions: [cn-hangzhou] }]\n',
      'c.yaml',
      { PROXY: 'http://ops:Proxy-Pass-123@proxy.example.com:3128' },
    );
    const { logger, text, lines } = capture();
    logger.info(
      { config: withProxy, env: { HTTPS_PROXY: 'https://svc%40corp:p%3Ass@10.0.0.5:8443' } },
      'start',
    );
    logger.warn('retrying through http://ops:Other-Pass-456@proxy.example.com:3128/ (and git@github.com)');
    logger.info('see https://github.com/alivpn-doctor/alivpn-doctor/blob/main/docs/x.md@v1 and mailto:a@b.c');
    for (const s of ['Proxy-Pass-123', 'p%3Ass', 'svc%40corp', 'Other-Pass-456'])
      expect(text()).not.toContain(s);
    const first = JSON.parse(lines[0]!);
    expect(first.config.api.proxy.url).toBe(`http://${REDACTED}@proxy.example.com:3128`);
    expect(first.env.HTTPS_PROXY).toBe(`https://${REDACTED}@10.0.0.5:8443`);
    expect(JSON.parse(lines[1]!).msg).toBe(
      `retrying through http://${REDACTED}@proxy.example.com:3128/ (and git@github.com)`,
    );
    expect(JSON.parse(lines[2]!).msg).toBe(
      'see https://github.com/alivpn-doctor/alivpn-doctor/blob/main/docs/x.md@v1 and mailto:a@b.c',
    );
  });

  it('survives circular and deep objects', () => {
    const { logger, lines } = capture();
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 50; i++) {
      const next: Record<string, unknown> = {};
      deep.next = next;
      deep = next;
    }
    const shared = { region: 'cn-hangzhou' };
    logger.info({ a, root, first: shared, second: shared });
    const record = JSON.parse(lines[0]!);
    expect(record.a.self).toBe('[Circular]');
    expect(JSON.stringify(record.root)).toContain('[Truncated]');
    // An object referenced twice (not a cycle) is logged twice.
    expect(record.second).toEqual({ region: 'cn-hangzhou' });
  });

  it('decides secret keys by name', () => {
    for (const k of [
      'accessKeySecret',
      'securityToken',
      'authToken',
      'Psk',
      'psk',
      'authorization',
      'bearerToken',
      'credential',
      'password',
    ])
      expect(isSecretKey(k), k).toBe(true);
    for (const k of ['accessKeyId', 'nextToken', 'NextToken', 'tokensAvailable', 'name', 'region'])
      expect(isSecretKey(k), k).toBe(false);
  });
});
