// The on-prem side as read from a strongSwan device over VICI (and, optionally, its swanctl.conf),
// in our own names. Secrets never appear: a PSK is only ever a short SHA-256 fingerprint.

/** Algorithms in Alibaba's names where one exists (`aes`, `sha1`, `group2`, `disabled`), else charon's. */
export interface PeerAlgorithms {
  enc: string;
  auth: string;
  dh: string;
}

/** One proposal the device is configured with (swanctl.conf), in Alibaba's names. */
export interface PeerProposal {
  text: string;
  enc: string[];
  auth: string[];
  dh: string[];
}

export interface PeerChildConfig {
  name: string;
  mode: string;
  rekeyTimeSeconds: number | null;
  localTs: string[];
  remoteTs: string[];
  dpdAction: string;
  /** From swanctl.conf; null when it was not readable. */
  espProposals: PeerProposal[] | null;
}

/** A loaded IKE connection (list-conns), completed from swanctl.conf when readable. */
export interface PeerConnConfig {
  name: string;
  localAddrs: string[];
  remoteAddrs: string[];
  /** IKEv1 | IKEv2 | 0 (either), as charon says. */
  version: string;
  rekeyTimeSeconds: number | null;
  reauthTimeSeconds: number | null;
  dpdDelaySeconds: number | null;
  localId: string;
  remoteId: string;
  localAuth: string;
  remoteAuth: string;
  children: PeerChildConfig[];
  /** From swanctl.conf (null when not readable): what list-conns does not carry. */
  aggressive: boolean | null;
  encap: boolean | null;
  proposals: PeerProposal[] | null;
  pskFingerprint: string | null;
}

export interface PeerChildSa {
  name: string;
  state: string;
  mode: string;
  encap: boolean;
  algorithms: PeerAlgorithms;
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  packetsOut: number;
  rekeyInSeconds: number | null;
  lifeTimeSeconds: number | null;
  installedSeconds: number | null;
  localTs: string[];
  remoteTs: string[];
}

/** An IKE_SA (list-sas). */
export interface PeerIkeSa {
  /** The IKE connection name (the config it was created from). */
  name: string;
  uniqueId: string;
  version: string;
  state: string;
  localHost: string;
  remoteHost: string;
  localId: string;
  remoteId: string;
  initiator: boolean;
  natLocal: boolean;
  natRemote: boolean;
  algorithms: PeerAlgorithms;
  establishedSeconds: number | null;
  rekeyInSeconds: number | null;
  reauthInSeconds: number | null;
  children: PeerChildSa[];
}

export interface PeerLogLine {
  /** Unix ms when the daemon received it. */
  at: number;
  group: string;
  level: number;
  ikeName: string;
  message: string;
}

/** One peer as last read. `reachable: false` means unknown, never healthy. */
export interface PeerSnapshot {
  name: string;
  /** The VICI address as configured (never contains a secret). */
  vici: string;
  collectedAt: number;
  reachable: boolean;
  error: string | null;
  daemonVersion: string | null;
  conns: PeerConnConfig[];
  sas: PeerIkeSa[];
  /** Why swanctl.conf could not be read, when one is configured. */
  swanctlError: string | null;
  /** The most recent log lines (bounded), oldest first. */
  logs: PeerLogLine[];
}
