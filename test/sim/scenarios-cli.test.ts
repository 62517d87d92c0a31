// `alivpn-doctor simulate --scenario healthy`: a separate process that a plain SDK script can list
// with the printed AccessKey, that rejects a wrong secret, and that stops cleanly on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import * as Vpc from '@alicloud/vpc20160428';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenApiConfig, VpcSdkClient } from '../../src/cloud/sdk.js';

const BIN = join(import.meta.dirname, '../../bin/alivpn-doctor.js');
let child: ChildProcess;
let stdout = '';
let stderr = '';
let url = '';
let keyId = '';
let secret = '';

beforeAll(async () => {
  child = spawn(process.execPath, [BIN, 'simulate', '--scenario', 'healthy', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulate did not start: ${stderr}`)), 45_000);
    child.stdout!.on('data', (d) => {
      stdout += d;
      const listen = /Listening on\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      const key = /AccessKeyId (\S+)\s+AccessKeySecret (\S+)/.exec(stdout);
      if (listen && key && stdout.includes('Ctrl-C stops.')) {
        [url, keyId, secret] = [listen[1]!, key[1]!, key[2]!];
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`simulate exited with ${code}: ${stderr}`)));
  });
}, 60_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

function client(accessKeySecret: string) {
  return new VpcSdkClient(
    new OpenApiConfig({
      accessKeyId: keyId,
      accessKeySecret,
      endpoint: new URL(url).host,
      protocol: 'http',
      regionId: 'cn-hangzhou',
    }),
  );
}

describe('simulate command', () => {
  it('prints the scenario, its regions and its fake key pair', () => {
    expect(stdout).toContain('scenario "healthy"');
    expect([keyId, secret]).toEqual(['LTAI5tSimFake000000001', 'SimFakeSecretDoNotUse000000001']);
    expect(stdout).toContain('cn-hangzhou, ap-northeast-1');
  });

  it('serves the world to a plain SDK script and rejects a wrong secret', async () => {
    const res = await client(secret).describeVpnConnections(
      new Vpc.DescribeVpnConnectionsRequest({ regionId: 'ap-northeast-1' }),
    );
    expect(res.body!.vpnConnections!.vpnConnection!.map((c) => c.name)).toEqual([
      'tokyo-primary',
      'tokyo-bgp',
    ]);
    await expect(
      client('not-the-secret').describeVpnConnections(
        new Vpc.DescribeVpnConnectionsRequest({ regionId: 'cn-hangzhou' }),
      ),
    ).rejects.toMatchObject({ code: 'SignatureDoesNotMatch', statusCode: 400 });
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses an unknown scenario with a clear message', async () => {
    const bad = spawn(process.execPath, [BIN, 'simulate', '--scenario', 'no-such-thing'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    bad.stderr!.on('data', (d) => {
      err += d;
    });
    const code = await new Promise<number | null>((resolve) => bad.once('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err).toMatch(/unknown scenario "no-such-thing" \(shipped: .*healthy/);
  });
});
