// Flapping, defined once. A tunnel flaps when its negotiation status changes at least
// FLAP_MIN_CHANGES times within FLAP_WINDOW_MS: two down/up cycles in ten minutes. One drop and
// recovery is an incident (tunnel_down, tunnel_up, perhaps a failover and failback); a second one
// in the same ten minutes is a pattern, the one the tunnel-flapping rule explains (DPD over a lossy
// link, rekey deletions, mismatched lifetimes). Ten minutes is long enough to see two cycles at the
// 30 s status interval and short enough that a flapping finding resolves soon after the tunnel
// settles. The tracker announces the `flapping` event and the rule opens its finding on the same
// count over the same window, in the daemon and in `rules test` alike.
//
// The Prometheus alert AliVpnTunnelFlapping (dashboards/prometheus/alerts.yaml) pages on the
// exported counter alivpn_tunnel_state_changes_total and deliberately asks for more: FLAP_ALERT_MIN_CHANGES
// over FLAP_ALERT_WINDOW_MS (three cycles in 30 minutes). The finding already shows one burst in
// the report and the timeline; paging waits for a third cycle, and the longer window also catches a
// tunnel that drops every ten minutes or so, which never reaches the daemon's count. A tunnel that
// keeps flapping by the daemon's definition always pages within the alert's window: the alert's
// rate is never stricter than the daemon's. test/dashboards/flapping-alert.test.ts pins the alert to
// these constants and these relations.

/** At least this many state changes of a tunnel within FLAP_WINDOW_MS is flapping. */
export const FLAP_MIN_CHANGES = 4;
/** The window over which state changes are counted. */
export const FLAP_WINDOW_MS = 10 * 60_000;

/** The Prometheus alert pages at this many exported state changes … */
export const FLAP_ALERT_MIN_CHANGES = 6;
/** … within this window (`increase(…[30m])`). */
export const FLAP_ALERT_WINDOW_MS = 30 * 60_000;

/** This many state changes within the window is flapping. */
export const isFlapping = (stateChanges: number): boolean => stateChanges >= FLAP_MIN_CHANGES;
