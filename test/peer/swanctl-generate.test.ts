// The swanctl.conf generator's choices per cloud setting. That charon accepts and negotiates what it
// writes is proven against real charon in peer-config-lab.test.ts.
import { describe, expect, it } from 'vitest';
import {
  fromVici,
  parseProposals,
  strongswanProposal,
  UnsupportedAlgorithmError,
} from '../../src/peer/algorithms.js';
import { generateSwanctlConf } from '../../src/peer/swanctl-generate.js';
import { connection, tunnel } from '../fixtures/snapshot.js';

describe('algorithm mapping', () => {
  it.each([
    ['aes', 'sha1', 'group2', 'aes128-sha1-modp1024'],
    ['aes192', 'md5', 'group1', 'aes192-md5-modp768'],
    ['aes256', 'sha512', 'group5', 'aes256-sha512-modp1536'],
    ['3des', 'sha384', 'group14', '3des-sha384-modp2048'],
    ['des', 'sha256', 'disabled', 'des-sha256'],
  ])('%s / %s / %s → %s', (enc, auth, dh, expected) => {
    expect(strongswanProposal(enc, auth, dh, 'x')).toBe(expected);
  });

  it('refuses the Chinese SM algorithms strongSwan does not implement, naming where', () => {
    expect(() => strongswanProposal('sm4', 'sha1', 'group2', 'tunnel 1 IKE config')).toThrow(
      UnsupportedAlgorithmError,
    );
    expect(() => strongswanProposal('aes', 'sm3', 'group2', 'tunnel 1 IKE config')).toThrow(
      /tunnel 1 IKE config: integrity "sm3"/,
    );
  });

  it('reads charon list-sas names back into Alibaba names (recorded in test/fixtures/vici/list-sas)', () => {
    expect(fromVici({ encr: 'AES_CBC', keysize: '128', integ: 'HMAC_SHA1_96', dh: 'MODP_1024' })).toEqual({
      enc: 'aes',
      auth: 'sha1',
      dh: 'group2',
    });
    expect(fromVici({ encr: 'AES_CBC', keysize: '256', integ: 'HMAC_SHA2_256_128' })).toEqual({
      enc: 'aes256',
      auth: 'sha256',
      dh: 'disabled',
    });
    expect(fromVici({ encr: 'AES_GCM_16', keysize: '256', dh: 'CURVE_25519' })).toEqual({
      enc: 'AES_GCM_16-256',
      auth: '',
      dh: 'CURVE_25519',
    });
  });

  it('reads swanctl.conf proposal lists, aliases included', () => {
    expect(parseProposals('aes128-sha1-modp1024, aes256-sha2_256-modp2048')).toEqual([
      { text: 'aes128-sha1-modp1024', enc: ['aes'], auth: ['sha1'], dh: ['group2'] },
      { text: 'aes256-sha2_256-modp2048', enc: ['aes256'], auth: ['sha256'], dh: ['group14'] },
    ]);
    expect(parseProposals('aes256gcm16-prfsha256-ecp256')[0]).toMatchObject({
      enc: ['aes256gcm16'],
      dh: ['ecp256'],
    });
    expect(parseProposals('default')[0]!.enc).toEqual(['default']);
  });
});

describe('swanctl.conf generation', () => {
  it('IKEv1 aggressive mode re-authenticates at the IKE lifetime and splits selector pairs', () => {
    const t = tunnel({ index: 1, ike: { ...tunnel().ike, version: 'ikev1', mode: 'aggressive' } });
    const text = generateSwanctlConf(
      connection({
        tunnels: [t],
        remoteSubnets: ['192.168.0.0/24', '192.168.1.0/24'],
        localSubnets: ['10.0.0.0/16'],
      }),
    );
    expect(text).toContain('version = 1');
    expect(text).toContain('aggressive = yes');
    expect(text).toContain('reauth_time = 86400s');
    expect(text).not.toContain('    rekey_time = 86400s   # IkeLifetime');
    expect(text).toContain('vco-bp1conn00000000001-tun1-1 {');
    expect(text).toContain('vco-bp1conn00000000001-tun1-2 {');
    expect(text).toContain('local_ts = 192.168.1.0/24');
  });

  it('IKEv2 keeps selector lists in one child; PFS disabled leaves the ESP group out', () => {
    const t = tunnel({ index: 1, ipsec: { ...tunnel().ipsec, pfs: 'disabled' } });
    const text = generateSwanctlConf(
      connection({ tunnels: [t], remoteSubnets: ['192.168.0.0/24', '192.168.1.0/24'] }),
    );
    expect(text).toContain('local_ts = 192.168.0.0/24, 192.168.1.0/24');
    expect(text).toContain('esp_proposals = aes256-sha256   # IpsecPfs disabled');
  });

  it('destination routing gets 0.0.0.0/0 selectors and says how to route', () => {
    const text = generateSwanctlConf(
      connection({ localSubnets: ['0.0.0.0/0'], remoteSubnets: ['0.0.0.0/0'] }),
    );
    expect(text).toContain('local_ts = 0.0.0.0/0');
    expect(text).toMatch(/XFRM interface/);
  });

  it('IDs swap sides: Alibaba LocalId is the device remote id, RemoteId its local id', () => {
    const t = tunnel({
      index: 2,
      ike: { ...tunnel().ike, localId: 'alibaba.example', remoteId: 'dc1.example' },
    });
    const text = generateSwanctlConf(connection({ tunnels: [tunnel({ index: 1 }), t] }), { tunnels: [2] });
    expect(text).toMatch(/local \{\n\s+auth = psk\n\s+id = dc1\.example/);
    expect(text).toMatch(/remote \{\n\s+auth = psk\n\s+id = alibaba\.example/);
    expect(text).not.toContain('-tun1');
  });

  it('writes a PSK with quotes or backslashes in strongSwan base64 form', () => {
    const c = connection();
    const text = generateSwanctlConf(c, {
      psks: { [c.tunnels[0]!.id]: 'a"b\\c', [c.tunnels[1]!.id]: 'plain-Key1' },
    });
    expect(text).toContain(`secret = 0s${Buffer.from('a"b\\c').toString('base64')}`);
    expect(text).toContain('secret = "plain-Key1"');
  });
});
