// The fact families, each behind the one FactProvider interface (facts/provider.ts), in the order
// the engine computes them. A new family is a provider here: its root, its scope, its computation
// and its documented facts; the engine, the catalogue (`rules lint`, `rules facts`) and the check
// that both agree (test/scenarios/facts.test.ts) pick it up from this list.
import type { TunnelEvidence } from '../../model/snapshot.js';
import { connectionFacts, gatewayFacts, historyFacts, peerFacts, tunnelFacts } from './basic.js';
import { BGP_FACTS, type BgpFacts, bgpFacts } from './bgp.js';
import { CORE_FACTS, type FactDoc } from './catalogue.js';
import { FILTERING_FACTS, type FilteringFacts, filteringFacts } from './filtering.js';
import { mergeFacts } from './localized.js';
import { negotiationFacts } from './negotiation.js';
import { PROBE_FACTS, probeFacts } from './probe.js';
import { docsOf, type FactContext, type FactProvider, factProvider } from './provider.js';
import { rekeyFacts } from './rekey.js';
import { ROUTING_FACTS, type RoutingFacts, routingFacts } from './routing.js';

/** Every fact as documented beside its code; each provider takes its root's share. */
export const DOCUMENTED_FACTS: readonly FactDoc[] = [
  ...CORE_FACTS,
  ...ROUTING_FACTS,
  ...FILTERING_FACTS,
  ...BGP_FACTS,
  ...PROBE_FACTS,
];
const docs = (root: string) => docsOf(root, DOCUMENTED_FACTS);

/** A family whose computation failed: unknown, and why. */
export interface UnknownFamily {
  known: false;
  unknownReason: string;
}
const unknownFamily = (reason: string): UnknownFamily => ({ known: false, unknownReason: reason });

const tunnelOf = (ctx: FactContext) => {
  if (!ctx.tunnel) throw new Error('a tunnel-scope fact family was computed without a tunnel');
  return ctx.tunnel;
};
/** The subject's tunnels: the tunnel in tunnel scope, all of the connection's in connection scope. */
const subjectTunnels = (ctx: FactContext) => (ctx.tunnel ? [ctx.tunnel] : ctx.connection.tunnels);

export const ACCOUNT = factProvider({
  name: 'account',
  scope: 'shared',
  catalogue: docs('account'),
  compute: (ctx) => ctx.region.account,
});

export const REGION = factProvider({
  name: 'region',
  scope: 'shared',
  catalogue: docs('region'),
  compute: (ctx) => ctx.region.region,
});

export const CONNECTION = factProvider({
  name: 'connection',
  scope: 'shared',
  catalogue: docs('connection'),
  compute: (ctx) => connectionFacts(ctx.connection, ctx.region.connections.complete),
});

export const GATEWAY = factProvider({
  name: 'gateway',
  scope: 'shared',
  catalogue: docs('gateway'),
  compute: (ctx) => gatewayFacts(ctx.connection, ctx.anyTopology),
});

export const ROUTING = factProvider<RoutingFacts | UnknownFamily>({
  name: 'routing',
  scope: 'shared',
  catalogue: docs('routing'),
  compute: (ctx) => routingFacts(ctx.connection, ctx.topology, ctx.topologyIndex),
  unknown: unknownFamily,
});

export const FILTERING = factProvider<FilteringFacts | UnknownFamily>({
  name: 'filtering',
  scope: 'shared',
  catalogue: docs('filtering'),
  compute: (ctx) => filteringFacts(ctx.connection, ctx.topology, ctx.topologyIndex),
  unknown: unknownFamily,
});

export const TUNNEL = factProvider({
  name: 'tunnel',
  scope: 'tunnel',
  catalogue: docs('tunnel'),
  compute: (ctx) => tunnelFacts(tunnelOf(ctx)),
});

export const TUNNELS = factProvider({
  name: 'tunnels',
  scope: 'connection',
  catalogue: docs('tunnels'),
  compute: (ctx) => ctx.connection.tunnels.map(tunnelFacts),
});

export const PEER = factProvider({
  name: 'peer',
  scope: 'tunnel',
  catalogue: docs('peer'),
  compute: (ctx) => peerFacts(tunnelOf(ctx), ctx.anyTopology),
});

export const NEGOTIATION = factProvider({
  name: 'negotiation',
  scope: 'tunnel',
  catalogue: docs('negotiation'),
  compute: (ctx) => {
    const t = tunnelOf(ctx);
    return negotiationFacts(t, ctx.region.evidence[t.id], ctx.now, ctx.causes);
  },
});

export const PROBE = factProvider({
  name: 'probe',
  scope: 'tunnel',
  catalogue: docs('probe'),
  compute: (ctx) => probeFacts(ctx.region.probes?.[tunnelOf(ctx).id], ctx.now),
});

/** BGP facts that could not be computed: what the connection says, nothing proven. */
export type UnknownBgp = Pick<BgpFacts, 'enabled' | 'configured' | 'up'> & { unknownReason: string };

export const BGP = factProvider<BgpFacts | UnknownBgp>({
  name: 'bgp',
  scope: 'tunnel',
  catalogue: docs('bgp'),
  compute: (ctx) => {
    const t = tunnelOf(ctx);
    return bgpFacts(
      ctx.connection,
      t,
      ctx.topology,
      ctx.gatewayConnections,
      t.bgp ? ctx.gatewayTunnels() : undefined,
    );
  },
  unknown: (reason, ctx) => ({
    enabled: ctx.connection.enableTunnelsBgp,
    configured: false,
    up: false,
    unknownReason: reason,
  }),
});

export const HISTORY = factProvider({
  name: 'history',
  scope: 'each',
  catalogue: docs('history'),
  compute: (ctx) => {
    const counts = historyFacts(
      subjectTunnels(ctx).map((t) => t.id),
      ctx.history.stateChanges,
      ctx.history.windowSeconds,
    );
    // The up-times before failures (rekey-boundary failures) are a tunnel's own.
    return ctx.tunnel
      ? mergeFacts(counts, rekeyFacts(ctx.tunnel, ctx.history.upSpells?.[ctx.tunnel.id]))
      : counts;
  },
});

export const EVIDENCE = factProvider({
  name: 'evidence',
  scope: 'each',
  catalogue: docs('evidence'),
  compute: (ctx) => {
    const records = subjectTunnels(ctx)
      .map((t) => ctx.region.evidence[t.id])
      .filter((ev): ev is TunnelEvidence => ev !== undefined);
    return {
      collected: records.length > 0,
      diagnosisAvailable: records.some((ev) => ev.diagnosis !== null),
      logsAvailable: records.some((ev) => Boolean(ev.logs)),
      errors: records.flatMap((ev) => ev.errors ?? []),
    };
  },
});

/** Every family, in the order the engine computes them. */
// biome-ignore lint/suspicious/noExplicitAny: a list of providers of different value types.
export const FACT_PROVIDERS: readonly FactProvider<any>[] = [
  ACCOUNT,
  REGION,
  CONNECTION,
  GATEWAY,
  ROUTING,
  FILTERING,
  TUNNEL,
  TUNNELS,
  PEER,
  NEGOTIATION,
  PROBE,
  BGP,
  HISTORY,
  EVIDENCE,
];
