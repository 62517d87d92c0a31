// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} placeholders
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  configJsonSchema,
  configWarnings,
  loadConfig,
  parseConfig,
  resolveConfigPath,
} from '../../src/config/index.js';

const minimal = `
accounts:
  - name: prod
    regions: [cn-hangzhou]
`;

function problemsOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(text, 'config.yaml', env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).lines;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig defaults', () => {
  it('fills every default the reference documents and the daemon needs', () => {
    const c = parseConfig(minimal, 'config.yaml', {});
    expect(c.server).toEqual({ listen: '0.0.0.0:9756' });
    expect(c.poll).toEqual({
      status: '*/30 * * * * *',
      topology: '*/5 * * * *',
      traffic: '* * * * *',
      adaptive: { enabled: true, status: '*/10 * * * * *' },
      evidence: { maxTunnelsPerCycle: 20, logWindowMinutes: 10 },
      peers: '*/30 * * * * *',
    });
    expect(c.storage).toEqual({ path: './data/alivpn.db', retentionDays: 30 });
    expect(c.api).toEqual({
      readTimeoutMs: 10000,
      connectTimeoutMs: 5000,
      maxResponseBytes: 8 * 1024 * 1024,
      throttleBackoff: { baseMs: 30_000, maxMs: 600_000 },
      retries: { max: 4, baseDelayMs: 200, maxDelayMs: 5000 },
      proxy: {},
      budget: {
        scope: 'account',
        vpc: { rps: 10, burst: 20 },
        ecs: { rps: 10, burst: 20 },
        cms: { rps: 20, burst: 40 },
      },
    });
    expect(c.rules).toEqual({ dirs: [], severity: {} });
    expect(c.logging).toEqual({ level: 'info' });
    expect(c.report).toEqual({
      runbookBaseUrl: 'https://github.com/alivpn-doctor/alivpn-doctor/blob/main/docs/runbook.md',
    });
    expect(c.accounts).toEqual([
      { name: 'prod', regions: ['cn-hangzhou'], filter: { vpnGatewayIds: [], tags: {} } },
    ]);
  });

  it('keeps partial sections and fills the rest', () => {
    const c = parseConfig(`api: { retries: { max: 1 }, budget: { vpc: { rps: 3 } } }\n${minimal}`, 'c', {});
    expect(c.api.retries).toEqual({ max: 1, baseDelayMs: 200, maxDelayMs: 5000 });
    expect(c.api.budget.vpc).toEqual({ rps: 3, burst: 20 });
    expect(c.api.budget.cms).toEqual({ rps: 20, burst: 40 });
  });
});

describe('environment interpolation', () => {
  it('substitutes ${VAR} and ${VAR:-default}, inside longer strings too', () => {
    const text = `
server: { authToken: "\${TOKEN}", listen: "\${HOST:-127.0.0.1}:\${PORT:-9756}" }
storage: { retentionDays: "\${DAYS:-7}" }
accounts:
  - name: prod
    accessKeyId: "\${AK}"
    accessKeySecret: "\${SK}"
    regions: [cn-hangzhou]
    endpoint: "http://127.0.0.1:\${SIM_PORT}"
`;
    const c = parseConfig(text, 'config.yaml', {
      TOKEN: 'tok-123456',
      PORT: '9100',
      HOST: '',
      AK: 'AKID',
      SK: 'secret-value',
      SIM_PORT: '9200',
    });
    expect(c.server).toEqual({ listen: '127.0.0.1:9100', authToken: 'tok-123456' });
    expect(c.storage.retentionDays).toBe(7);
    expect(c.accounts[0]).toMatchObject({
      accessKeyId: 'AKID',
      accessKeySecret: 'secret-value',
      endpoint: 'http://127.0.0.1:9200',
    });
  });

  it('names the variable and the field when a variable is missing', () => {
    const lines = problemsOf(`server: { authToken: "\${ALIVPN_TOKEN}" }\n${minimal}`);
    expect(lines).toEqual([
      'config.yaml: server.authToken: environment variable ALIVPN_TOKEN is not set (use ${ALIVPN_TOKEN:-default} for a default) (line 1)',
    ]);
  });

  it('writes a literal ${ with $${ and never lets a value change the YAML structure', () => {
    const c = parseConfig(`server: { authToken: "a$\${NOT_A_VAR}b" }\n${minimal}`, 'c', {});
    expect(c.server.authToken).toBe('a${NOT_A_VAR}b');
    const injected = parseConfig(`server: { authToken: "\${T}" }\n${minimal}`, 'c', {
      T: 'x\nlisten: 1.2.3.4:1',
    });
    expect(injected.server).toEqual({ listen: '0.0.0.0:9756', authToken: 'x\nlisten: 1.2.3.4:1' });
  });

  it('reports malformed references', () => {
    expect(problemsOf(`server: { authToken: "\${1BAD}" }\n${minimal}`)).toEqual([
      'config.yaml: server.authToken: invalid environment variable reference "${1BAD}" (line 1)',
    ]);
    expect(problemsOf(`server: { authToken: "abc\${OPEN" }\n${minimal}`)[0]).toContain(
      'server.authToken: unterminated "${"',
    );
  });
});

describe('validation messages', () => {
  it('suggests the nearest region id for a typo', () => {
    const lines = problemsOf(`
accounts:
  - name: a
    regions: [cn-hangzhou]
  - name: b
    regions: [cn-hangzou]
`);
    expect(lines).toEqual([
      'config.yaml: accounts[1].regions[0]: "cn-hangzou" is not a known Alibaba Cloud region id (did you mean cn-hangzhou?) (line 6)',
    ]);
  });

  it('does not invent a suggestion for something far from any region', () => {
    expect(problemsOf('accounts: [{ name: a, regions: [mars-base-1] }]')).toEqual([
      'config.yaml: accounts[0].regions[0]: "mars-base-1" is not a known Alibaba Cloud region id (line 1)',
    ]);
  });

  it('rejects unknown keys with their full path', () => {
    const lines = problemsOf(`
poll: { stauts: "* * * * *" }
accounts:
  - name: a
    regions: [cn-hangzhou]
    filter: { vpnGatewayId: [vpn-1] }
`);
    expect(lines).toEqual([
      'config.yaml: poll.stauts: unknown key (not part of the config format) (line 2)',
      'config.yaml: accounts[0].filter.vpnGatewayId: unknown key (not part of the config format) (line 6)',
    ]);
  });

  it('validates cron expressions with node-cron and says which field is wrong', () => {
    const lines = problemsOf(`poll: { status: "61 * * * *", adaptive: { status: "every 10s" } }\n${minimal}`);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      'config.yaml: poll.status: "61 * * * *" is not a valid cron expression (61 is a invalid expression for minute) (line 1)',
    );
    expect(lines[1]).toMatch(
      /^config\.yaml: poll\.adaptive\.status: "every 10s" is not a valid cron expression/,
    );
  });

  it('validates api.proxy without repeating a proxy password', () => {
    const ok = parseConfig(
      `api: { proxy: { url: "\${P:-}", noProxy: [".corp.example", "10.0.0.0/8", "[::1]:8080", "*"] } }\n${minimal}`,
      'c',
      {},
    );
    expect(ok.api.proxy).toEqual({ noProxy: ['.corp.example', '10.0.0.0/8', '[::1]:8080', '*'] });
    expect(parseConfig(minimal, 'c', {}).api.proxy).toEqual({});
    const lines = problemsOf(
      `api: { proxy: { url: "ftp://ops:Hidden-Pass-1@proxy:21", noProxy: ["http://x/y"] } }\n${minimal}`,
    );
    expect(lines).toEqual([
      'config.yaml: api.proxy.url: "ftp://[REDACTED]@proxy:21": only http:// and https:// proxies are supported (not ftp) (line 1)',
      'config.yaml: api.proxy.noProxy[0]: "http://x/y" is not a NO_PROXY entry (a host name such as ".example.com", an IP address, a CIDR range such as "10.0.0.0/8", or "*", optionally with ":port") (line 1)',
    ]);
    expect(problemsOf(`api: { proxy: { url: "http://proxy:3128/path" } }\n${minimal}`)[0]).toContain(
      'a proxy URL is a scheme, host and port only, without a path',
    );
  });

  it('validates the listen address', () => {
    expect(parseConfig(`server: { listen: "[::]:9756" }\n${minimal}`, 'c', {}).server.listen).toBe(
      '[::]:9756',
    );
    expect(parseConfig(`server: { listen: "localhost:80" }\n${minimal}`, 'c', {}).server.listen).toBe(
      'localhost:80',
    );
    expect(problemsOf(`server: { listen: "0.0.0.0:70000" }\n${minimal}`)).toEqual([
      'config.yaml: server.listen: "0.0.0.0:70000": port 70000 is out of range 1-65535 (line 1)',
    ]);
    expect(problemsOf(`server: { listen: "9756" }\n${minimal}`)[0]).toContain(
      'server.listen: "9756" is not a listen address (expected host:port',
    );
    expect(problemsOf(`server: { listen: "300.1.1.1:80" }\n${minimal}`)[0]).toContain(
      'is not a listen address',
    );
  });

  it('requires unique account names and AccessKey id and secret together', () => {
    const lines = problemsOf(`
accounts:
  - name: prod
    accessKeyId: AKID
    regions: [cn-hangzhou]
  - name: prod
    accessKeySecret: s3cr3t-value
    securityToken: sts-token-value
    regions: [ap-northeast-1]
`);
    expect(lines).toEqual([
      'config.yaml: accounts[0].accessKeySecret: is missing: accessKeyId and accessKeySecret go together (give both, or neither to use the default credential chain) (line 3)',
      'config.yaml: accounts[1].name: account name "prod" is already used by accounts[0] (line 6)',
      'config.yaml: accounts[1].accessKeyId: is missing: accessKeyId and accessKeySecret go together (give both, or neither to use the default credential chain) (line 6)',
      'config.yaml: accounts[1].securityToken: needs accessKeyId and accessKeySecret (the STS AccessKey pair) (line 8)',
    ]);
    expect(lines.join('\n')).not.toContain('s3cr3t-value');
    expect(lines.join('\n')).not.toContain('sts-token-value');
  });

  it('lists every problem at once, in file order', () => {
    const text = `
server: { listen: nowhere }
poll: { topology: "bad" }
storage: { retentionDays: 0 }
logging: { level: verbose }
api: { retries: { baseDelayMs: 9000 } }
accounts:
  - name: prod
    regions: [cn-hangzou, ap-northeast-1, ap-northeast-1]
    endpoint: "ftp://sim"
    endpoints: { vpc: "http://127.0.0.1:1/path" }
    filter: { vpnGatewayIds: [gw-1], tags: { env: 1 } }
`;
    const err = (() => {
      try {
        parseConfig(text, 'fleet.yaml', {});
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected failure');
    })();
    const paths = err.problems.map((p) => p.path.join('.'));
    expect(paths).toEqual([
      'server.listen',
      'poll.topology',
      'storage.retentionDays',
      'logging.level',
      'api.retries.baseDelayMs',
      'accounts.0.regions.0',
      'accounts.0.regions.2',
      'accounts.0.endpoint',
      'accounts.0.endpoints.vpc',
      'accounts.0.filter.vpnGatewayIds.0',
      'accounts.0.filter.tags.env',
    ]);
    expect(err.message).toMatch(
      /^fleet\.yaml: 11 problems in the configuration:\n {2}fleet\.yaml: server\.listen: /,
    );
    expect(err.lines).toContain(
      'fleet.yaml: logging.level: must be one of "fatal", "error", "warn", "info", "debug", "trace", "silent" (got "verbose") (line 5)',
    );
    expect(err.lines).toContain('fleet.yaml: storage.retentionDays: must be at least 1 (got 0) (line 4)');
    expect(err.lines).toContain(
      'fleet.yaml: accounts[0].regions[2]: region "ap-northeast-1" is listed twice (line 9)',
    );
    expect(err.lines).toContain(
      'fleet.yaml: accounts[0].filter.tags.env: expected string, got number (line 12)',
    );
    expect(err.lines).toContain(
      'fleet.yaml: accounts[0].endpoints.vpc: "http://127.0.0.1:1/path": an endpoint is a scheme and host[:port] only, without a path (line 11)',
    );
  });

  it('explains empty, non-mapping and syntactically broken files', () => {
    expect(problemsOf('')).toEqual(['config.yaml: the config is empty (at least `accounts:` is needed)']);
    expect(problemsOf('- a\n- b\n')).toEqual([
      'config.yaml: the config must be a mapping of sections (server, poll, accounts, …)',
    ]);
    expect(problemsOf('accounts: [')[0]).toMatch(/^config\.yaml: YAML syntax: .+\(line \d+\)$/);
    expect(problemsOf('server: {}\n')).toEqual(['config.yaml: accounts: is required']);
    expect(problemsOf('a: 1\na: 2\naccounts: []')[0]).toMatch(/YAML syntax: Map keys must be unique/);
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alivpn-config-'));

  it('reads the file and names it in errors', () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, minimal);
    expect(loadConfig(good, {}).accounts[0]?.name).toBe('prod');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'accounts: [{ name: x, regions: [us-est-1] }]');
    expect(() => loadConfig(bad, {})).toThrow(`${bad}: accounts[0].regions[0]: "us-est-1" is not a known`);
  });

  it('takes the path from ALIVPN_CONFIG when none is given', () => {
    const viaEnv = join(dir, 'env.yaml');
    writeFileSync(viaEnv, minimal);
    expect(resolveConfigPath(undefined, { ALIVPN_CONFIG: viaEnv })).toBe(viaEnv);
    expect(resolveConfigPath('explicit.yaml', { ALIVPN_CONFIG: viaEnv })).toBe('explicit.yaml');
    expect(resolveConfigPath(undefined, {})).toBe('./config.yaml');
    expect(loadConfig(undefined, { ALIVPN_CONFIG: viaEnv }).accounts).toHaveLength(1);
  });

  it('says when the file is missing', () => {
    const missing = join(dir, 'nope.yaml');
    expect(() => loadConfig(missing, {})).toThrow(`${missing}: cannot read the config file: file not found`);
  });
});

describe('configJsonSchema', () => {
  it('describes the input shape with defaults and no extra keys', () => {
    const schema = configJsonSchema() as {
      type: string;
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { properties?: Record<string, { default?: unknown }> }>;
    };
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['accounts']);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual([
      'server',
      'poll',
      'storage',
      'changes',
      'objectives',
      'api',
      'rules',
      'report',
      'logging',
      'probe',
      'accounts',
      'peers',
    ]);
    expect(schema.properties.server?.properties?.listen?.default).toBe('0.0.0.0:9756');
    expect(schema.properties.poll?.properties?.status?.default).toBe('*/30 * * * * *');
    const api = schema.properties.api as unknown as {
      description: string;
      properties: {
        readTimeoutMs: { default: number; description: string };
        budget: {
          properties: { cms: { properties: { rps: { default: number }; burst: { default: number } } } };
        };
      };
    };
    expect(api.description).toBe('Alibaba Cloud API access.');
    expect(api.properties.readTimeoutMs.default).toBe(10000);
    expect(api.properties.readTimeoutMs.description).toMatch(/^Read timeout per API request/);
    expect(api.properties.budget.properties.cms.properties.rps.default).toBe(20);
    expect(api.properties.budget.properties.cms.properties.burst.default).toBe(40);
  });
});

describe('shipped config files', () => {
  it('config/example.yaml is valid and shows the defaults', () => {
    const c = loadConfig('config/example.yaml', {
      ALIVPN_TOKEN: 'token-from-env',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tExample',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'example-secret',
    });
    const defaults = parseConfig('accounts: [{ name: a, regions: [cn-hangzhou] }]', 'd', {});
    // Every documented value equals the default, except the sections meant as examples.
    expect(c.poll).toEqual(defaults.poll);
    expect(c.storage).toEqual(defaults.storage);
    expect(c.api).toEqual(defaults.api);
    expect(c.logging).toEqual(defaults.logging);
    expect(c.report).toEqual(defaults.report);
    expect(c.server).toEqual({ listen: defaults.server.listen, authToken: 'token-from-env' });
    expect(c.rules).toEqual({ dirs: [], severity: { 'weak-crypto': 'info' } });
    expect(c.accounts.map((a) => [a.name, a.accessKeyId ?? null, a.regions])).toEqual([
      ['prod', 'LTAI5tExample', ['cn-hangzhou', 'ap-northeast-1']],
      ['staging', null, ['cn-shanghai']],
    ]);
  });

  it('config/example.yaml names the missing variables when the environment is empty', () => {
    expect(() => loadConfig('config/example.yaml', {})).toThrow(
      /environment variable ALIVPN_TOKEN is not set[\s\S]*ALIBABA_CLOUD_ACCESS_KEY_ID is not set[\s\S]*ALIBABA_CLOUD_ACCESS_KEY_SECRET is not set/,
    );
  });

  it('config/demo.yaml points at the simulator with its fake AccessKey', () => {
    const c = loadConfig('config/demo.yaml', { ALIVPN_SIM_PORT: '9200' });
    expect(c.accounts[0]).toMatchObject({
      endpoint: 'http://127.0.0.1:9200',
      accessKeyId: 'LTAI5tSimFake000000001',
    });
    expect(c.server.authToken).toBe('demo-token-change-me');
  });
});

describe('regions and optional secrets', () => {
  const base = (regions: string, extra = '') =>
    `${extra}accounts:\n  - name: prod\n    regions: [${regions}]\n`;

  it('accepts a well-formed region id it does not know yet, and still catches typos of known ones', () => {
    expect(parseConfig(base('me-central-1, ap-southeast-7')).accounts[0]!.regions).toEqual([
      'me-central-1',
      'ap-southeast-7',
    ]);
    expect(() => parseConfig(base('cn-hangzou'))).toThrow(/did you mean cn-hangzhou/);
    expect(() => parseConfig(base('Hangzhou'))).toThrow(/not a known Alibaba Cloud region id/);
  });

  it('accepts ids launched after this release (a further number of a known area, a compass area) with a warning', () => {
    const fresh = ['ap-southeast-8', 'eu-central-2', 'sa-east-1', 'us-east-2', 'ap-northeast-3'];
    const config = parseConfig(base(fresh.join(', ')));
    expect(config.accounts[0]!.regions).toEqual(fresh);
    expect(configWarnings(config)).toEqual(
      fresh.map(
        (id, j) =>
          `accounts[0].regions[${j}]: "${id}" is not in this release's list of Alibaba Cloud regions; watching it as given (if its calls fail, check the id)`,
      ),
    );
    expect(configWarnings(parseConfig(base('cn-hangzhou')))).toEqual([]);
    for (const [typo, meant] of <[string, string][]>[
      ['cn-hangzou', 'cn-hangzhou'],
      ['us-est-1', 'us-east-1'],
      ['eu-centrl-1', 'eu-central-1'],
      ['ap-sootheast-1', 'ap-southeast-1'],
      ['cn-shenzen', 'cn-shenzhen'],
    ])
      expect(() => parseConfig(base(typo))).toThrow(`(did you mean ${meant}?)`);
  });

  it('lets a command that serves nothing ignore an unset variable in server, and nothing else', () => {
    const text = base('cn-hangzhou', 'server: { authToken: "${ALIVPN_TOKEN}" }\n');
    expect(() => parseConfig(text, 'c.yaml', {})).toThrow(/ALIVPN_TOKEN is not set/);
    expect(parseConfig(text, 'c.yaml', {}, { unusedSections: ['server'] }).server.authToken).toBeUndefined();
    const secret = `${base('cn-hangzhou').replace('regions', 'accessKeySecret: "${SECRET}"\n    regions')}`;
    expect(() => parseConfig(secret, 'c.yaml', {}, { unusedSections: ['server'] })).toThrow(
      /SECRET is not set/,
    );
  });

  it('treats an empty authToken (${ALIVPN_TOKEN:-}) as no token', () => {
    const config = parseConfig(
      base('cn-hangzhou', 'server: { authToken: "${ALIVPN_TOKEN:-}" }\n'),
      'c.yaml',
      {},
    );
    expect(config.server.authToken).toBeUndefined();
    const set = parseConfig(base('cn-hangzhou', 'server: { authToken: "${ALIVPN_TOKEN:-}" }\n'), 'c.yaml', {
      ALIVPN_TOKEN: 's3cret-token',
    });
    expect(set.server.authToken).toBe('s3cret-token');
  });
});
