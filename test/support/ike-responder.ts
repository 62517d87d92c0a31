// A lab charon that answers IKE from any address (IKEv1 and IKEv2), for tests that probe it.
import { DEFAULT_PSK } from '../../src/lab/config.js';
import type { SideOptions } from '../../src/lab/index.js';

/** swanctl.conf of a responder for any address, IKEv1 and IKEv2 (version 0), with these proposals. */
export function responderConf(proposals: string): string {
  return `connections {
  probe-target {
    version = 0
    local_addrs = %any
    remote_addrs = %any
    proposals = ${proposals}
    local { auth = psk }
    remote { auth = psk }
    children { probe-target { esp_proposals = aes128-sha256 } }
  }
}
secrets { ike-lab { secret = "${DEFAULT_PSK}" } }
`;
}

/**
 * The responder side of a lab. Every probe leaves a half-open IKE SA; past charon's cookie
 * thresholds (10 in all, 3 per source IP) it answers COOKIE instead, past block_threshold (5 per
 * IP) it drops requests. Tests that probe often raise them so the count does not get in the way.
 */
export function responderSide(proposals = 'aes128-sha256-modp2048'): SideOptions {
  return {
    swanctlConf: responderConf(proposals),
    strongswan: {
      'charon.cookie_threshold': 1000,
      'charon.cookie_threshold_ip': 1000,
      'charon.block_threshold': 1000,
    },
  };
}
