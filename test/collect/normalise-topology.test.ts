import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { describe, expect, it } from 'vitest';
import {
  normaliseGateway,
  normaliseInstance,
  normaliseNetworkAcl,
  normalisePbrRoute,
  normaliseRouteEntries,
  normaliseSecurityGroup,
  normaliseVpc,
  normaliseVpnRoute,
} from '../../src/collect/normalise/topology.js';
import { latestByConnection, parseDatapoints } from '../../src/collect/normalise/traffic.js';
import { fromWire } from './wire.js';

describe('topology normalisers', () => {
  it('reads a VPN gateway with its booleans and tags', () => {
    const body = fromWire(
      {
        TotalCount: 1,
        VpnGateways: {
          VpnGateway: [
            {
              VpnGatewayId: 'vpn-1',
              Name: 'gw',
              VpcId: 'vpc-1',
              VSwitchId: 'vsw-1',
              Status: 'active',
              BusinessStatus: 'Normal',
              GatewayType: 'Enhanced.SiteToSite',
              InternetIp: '47.1.1.1',
              DisasterRecoveryInternetIp: '47.1.1.2',
              EnableBgp: 'true',
              IpsecVpn: 'enable',
              Spec: '10M',
              Tags: { Tag: [{ Key: 'team', Value: 'net' }] },
            },
          ],
        },
      },
      new $Vpc.DescribeVpnGatewaysResponseBody({}),
    );
    const g = body.vpnGateways?.vpnGateway?.[0];
    expect(g && normaliseGateway(g)).toEqual({
      id: 'vpn-1',
      name: 'gw',
      vpcId: 'vpc-1',
      vswitchId: 'vsw-1',
      status: 'active',
      businessStatus: 'Normal',
      gatewayType: 'Enhanced.SiteToSite',
      internetIp: '47.1.1.1',
      disasterRecoveryInternetIp: '47.1.1.2',
      enableBgp: true,
      ipsecVpn: 'enable',
      spec: '10M',
      tags: { team: 'net' },
    });
  });

  it('reads custom and policy VPN routes', () => {
    const r = fromWire(
      {
        RouteDest: '192.168.0.0/16',
        NextHop: 'vco-1',
        NextHopTunnelId: 'tun-1',
        State: 'published',
        Weight: 100,
      },
      new $Vpc.DescribeVpnRouteEntriesResponseBodyVpnRouteEntriesVpnRouteEntry({}),
    );
    expect(normaliseVpnRoute('vpn-1', 'custom', r)).toEqual({
      vpnGatewayId: 'vpn-1',
      kind: 'custom',
      dest: '192.168.0.0/16',
      source: null,
      nextHop: 'vco-1',
      nextHopTunnelId: 'tun-1',
      state: 'published',
      weight: 100,
      priority: null,
    });
    const p = fromWire(
      {
        RouteDest: '192.168.1.0/24',
        RouteSource: '10.0.0.0/16',
        NextHop: 'vco-1',
        State: 'normal',
        Weight: 0,
        Priority: 10,
      },
      new $Vpc.DescribeVpnPbrRouteEntriesResponseBodyVpnPbrRouteEntriesVpnPbrRouteEntry({}),
    );
    expect(normalisePbrRoute('vpn-1', p)).toMatchObject({
      kind: 'policy',
      source: '10.0.0.0/16',
      nextHopTunnelId: null,
      weight: 0,
      priority: 10,
    });
  });

  it('gives a VPC its primary and secondary CIDRs, and an ECMP route one entry per next hop', () => {
    const v = fromWire(
      {
        VpcId: 'vpc-1',
        VpcName: 'main',
        CidrBlock: '10.0.0.0/16',
        SecondaryCidrBlocks: { SecondaryCidrBlock: ['172.16.0.0/16'] },
        VRouterId: 'vrt-1',
      },
      new $Vpc.DescribeVpcsResponseBodyVpcsVpc({}),
    );
    expect(normaliseVpc(v)).toEqual({
      id: 'vpc-1',
      name: 'main',
      cidrBlocks: ['10.0.0.0/16', '172.16.0.0/16'],
      vrouterId: 'vrt-1',
    });
    const body = fromWire(
      {
        NextToken: '',
        RouteEntrys: {
          RouteEntry: [
            {
              DestinationCidrBlock: '192.168.0.0/16',
              Status: 'Available',
              Type: 'Custom',
              NextHops: {
                NextHop: [
                  { NextHopType: 'VpnGateway', NextHopId: 'vpn-1' },
                  { NextHopType: 'VpnGateway', NextHopId: 'vpn-2' },
                ],
              },
            },
            { DestinationCidrBlock: '10.0.1.0/24', Status: 'Available', Type: 'System' },
          ],
        },
      },
      new $Vpc.DescribeRouteEntryListResponseBody({}),
    );
    expect((body.routeEntrys?.routeEntry ?? []).flatMap(normaliseRouteEntries)).toEqual([
      {
        dest: '192.168.0.0/16',
        nextHopType: 'VpnGateway',
        nextHopId: 'vpn-1',
        status: 'Available',
        type: 'Custom',
      },
      {
        dest: '192.168.0.0/16',
        nextHopType: 'VpnGateway',
        nextHopId: 'vpn-2',
        status: 'Available',
        type: 'Custom',
      },
      { dest: '10.0.1.0/24', nextHopType: '', nextHopId: '', status: 'Available', type: 'System' },
    ]);
  });

  it('keeps ACL entry order and lower-cases policy and protocol', () => {
    const body = fromWire(
      {
        TotalCount: '1',
        PageNumber: '1',
        PageSize: '50',
        NetworkAcls: {
          NetworkAcl: [
            {
              NetworkAclId: 'nacl-1',
              VpcId: 'vpc-1',
              Resources: { Resource: [{ ResourceId: 'vsw-1', ResourceType: 'VSwitch', Status: 'BINDED' }] },
              IngressAclEntries: {
                IngressAclEntry: [
                  {
                    NetworkAclEntryName: 'deny-ike',
                    Policy: 'Drop',
                    Protocol: 'UDP',
                    Port: '500/500',
                    SourceCidrIp: '0.0.0.0/0',
                    EntryType: 'custom',
                  },
                  {
                    NetworkAclEntryName: 'all',
                    Policy: 'accept',
                    Protocol: 'all',
                    Port: '-1/-1',
                    SourceCidrIp: '0.0.0.0/0',
                    EntryType: 'system',
                  },
                ],
              },
              EgressAclEntries: {
                EgressAclEntry: [
                  {
                    NetworkAclEntryName: 'out',
                    Policy: 'accept',
                    Protocol: 'all',
                    Port: '-1/-1',
                    DestinationCidrIp: '10.0.0.0/8',
                    EntryType: 'custom',
                  },
                ],
              },
            },
          ],
        },
      },
      new $Vpc.DescribeNetworkAclsResponseBody({}),
    );
    expect(body.totalCount).toBe('1');
    const acl = normaliseNetworkAcl(
      body.networkAcls?.networkAcl?.[0] ?? new $Vpc.DescribeNetworkAclsResponseBodyNetworkAclsNetworkAcl({}),
    );
    expect(acl.vswitchIds).toEqual(['vsw-1']);
    expect(acl.ingress.map((e) => [e.name, e.policy, e.protocol, e.port, e.cidr])).toEqual([
      ['deny-ike', 'drop', 'udp', '500/500', '0.0.0.0/0'],
      ['all', 'accept', 'all', '-1/-1', '0.0.0.0/0'],
    ]);
    expect(acl.egress[0]?.cidr).toBe('10.0.0.0/8');
  });

  it('reads security group rules (string priority, direction-specific CIDR) and instances', () => {
    const body = fromWire(
      {
        SecurityGroupId: 'sg-1',
        SecurityGroupName: 'app',
        VpcId: 'vpc-1',
        Permissions: {
          Permission: [
            {
              Direction: 'ingress',
              Policy: 'Accept',
              Priority: '5',
              IpProtocol: 'TCP',
              PortRange: '22/22',
              SourceCidrIp: '192.168.0.0/16',
              Description: 'ssh',
            },
            {
              Direction: 'egress',
              Policy: 'Drop',
              Priority: '1',
              IpProtocol: 'ALL',
              PortRange: '-1/-1',
              DestCidrIp: '0.0.0.0/0',
            },
            {
              Direction: 'ingress',
              Policy: 'Accept',
              IpProtocol: 'ICMP',
              PortRange: '-1/-1',
              SourceGroupId: 'sg-2',
            },
          ],
        },
      },
      new $Ecs.DescribeSecurityGroupAttributeResponseBody({}),
    );
    const sg = normaliseSecurityGroup(body, body.permissions?.permission ?? []);
    expect(sg).toMatchObject({ id: 'sg-1', name: 'app', vpcId: 'vpc-1' });
    expect(sg.rules).toEqual([
      {
        direction: 'ingress',
        policy: 'accept',
        priority: 5,
        protocol: 'tcp',
        portRange: '22/22',
        cidr: '192.168.0.0/16',
        description: 'ssh',
      },
      {
        direction: 'egress',
        policy: 'drop',
        priority: 1,
        protocol: 'all',
        portRange: '-1/-1',
        cidr: '0.0.0.0/0',
        description: '',
      },
      {
        direction: 'ingress',
        policy: 'accept',
        priority: 1,
        protocol: 'icmp',
        portRange: '-1/-1',
        cidr: '',
        description: '',
      },
    ]);
    const inst = fromWire(
      {
        InstanceId: 'i-1',
        InstanceName: 'app-1',
        Status: 'Running',
        SecurityGroupIds: { SecurityGroupId: ['sg-1', 'sg-1'] },
        VpcAttributes: { VpcId: 'vpc-1', VSwitchId: 'vsw-1', PrivateIpAddress: { IpAddress: ['10.0.1.10'] } },
        NetworkInterfaces: {
          NetworkInterface: [
            {
              PrimaryIpAddress: '10.0.1.10',
              PrivateIpSets: { PrivateIpSet: [{ PrivateIpAddress: '10.0.1.11' }] },
            },
          ],
        },
      },
      new $Ecs.DescribeInstancesResponseBodyInstancesInstance({}),
    );
    expect(normaliseInstance(inst)).toEqual({
      id: 'i-1',
      name: 'app-1',
      vpcId: 'vpc-1',
      vswitchId: 'vsw-1',
      privateIps: ['10.0.1.10', '10.0.1.11'],
      securityGroupIds: ['sg-1'],
      status: 'Running',
    });
  });
});

describe('CloudMonitor datapoints', () => {
  it('parses the JSON string and keeps the newest point per connection', () => {
    const points = parseDatapoints(
      'ipsec_rx.rate',
      JSON.stringify([
        { timestamp: 1000, instanceId: 'vpn-1', ipsecId: 'vco-1', Value: 10 },
        { timestamp: 2000, instanceId: 'vpn-1', ipsecId: 'vco-1', Value: 20.5 },
        { timestamp: 1500, instanceId: 'vpn-1', ipsecId: 'vco-2', Value: '7' },
        { timestamp: 1500, instanceId: 'vpn-1', Value: 3 },
      ]),
    );
    const latest = latestByConnection(points);
    expect(Object.fromEntries([...latest].map(([k, v]) => [k, [v.at, v.value]]))).toEqual({
      'vco-1': [2000, 20.5],
      'vco-2': [1500, 7],
    });
  });

  it('names the metric when Datapoints is not JSON, and treats an empty string as no data', () => {
    expect(() => parseDatapoints('ipsec_tx.rate', '[{"broken"')).toThrow(
      /ipsec_tx\.rate: Datapoints is not valid JSON/,
    );
    expect(() => parseDatapoints('ipsec_tx.rate', '{"a":1}')).toThrow(/not a JSON array/);
    expect(parseDatapoints('ipsec_tx.rate', '')).toEqual([]);
    expect(parseDatapoints('ipsec_tx.rate', undefined)).toEqual([]);
  });
});
