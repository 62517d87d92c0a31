// charon's proposal dumps. When a selection fails charon prints the two lists back to back
// (libstrongswan proposal.c): `received proposals: IKE:AES_CBC_128/HMAC_SHA2_256_128/…/MODP_2048, …`
// then `configured proposals: …`. Only such a pair, of the same protocol, is one exchange's
// disagreement; a lone `configured proposals:` (printed whenever a config is read) is not.

export interface Proposal {
  protocol: string;
  enc: Set<string>;
  integ: Set<string>;
  prf: Set<string>;
  dh: Set<string>;
}

const DH = /^(modp_|ecp_|curve_|ntru_|newhope_|ke\d)/;

function kind(t: string): keyof Omit<Proposal, 'protocol'> | null {
  if (t.endsWith('ext_seq')) return null;
  if (t.startsWith('prf_')) return 'prf';
  if (DH.test(t)) return 'dh';
  if (
    t.startsWith('hmac_') ||
    t.startsWith('aes_xcbc') ||
    t.startsWith('aes_cmac') ||
    t.startsWith('camellia_xcbc')
  )
    return 'integ';
  return 'enc';
}

/** Parse the list after `received proposals:` / `configured proposals:` (lower case). */
export function parseProposals(list: string): Proposal[] {
  const out: Proposal[] = [];
  for (const item of list.split(',').slice(0, 50)) {
    const [protocol, body] = item.trim().split(':', 2);
    if (!protocol || body === undefined) continue;
    const p: Proposal = { protocol, enc: new Set(), integ: new Set(), prf: new Set(), dh: new Set() };
    for (const t of body.split('/').slice(0, 40)) {
      const k = kind(t.trim());
      if (k) p[k].add(t.trim());
    }
    out.push(p);
  }
  return out;
}

const meets = (a: Set<string>, b: Set<string>) =>
  (a.size === 0 && b.size === 0) || [...a].some((x) => b.has(x));

export interface DumpVerdict {
  /** `algorithm`: no proposal pair agrees on encryption/integrity/PRF; `dh`: they agree but on
   * no DH group; `pfs-one-side`: they agree but only one names a DH group (ESP: PFS off on one side). */
  kind: 'algorithm' | 'dh' | 'pfs-one-side' | 'none';
  protocol: string;
  /** DH groups of each side, when the verdict is about DH. */
  received: string;
  configured: string;
}

const groups = (s: Set<string>) => [...s].join('/') || 'none';

/** Why two dumps of one failed selection disagree. */
export function compareDumps(received: Proposal[], configured: Proposal[]): DumpVerdict {
  const protocol = received[0]?.protocol ?? configured[0]?.protocol ?? '';
  let sameAlgorithms: [Proposal, Proposal] | null = null;
  for (const r of received)
    for (const c of configured) {
      if (r.protocol !== c.protocol) continue;
      if (!meets(r.enc, c.enc) || !meets(r.integ, c.integ) || !meets(r.prf, c.prf)) continue;
      if (meets(r.dh, c.dh)) return { kind: 'none', protocol, received: '', configured: '' };
      sameAlgorithms ??= [r, c];
    }
  if (!sameAlgorithms) return { kind: 'algorithm', protocol, received: '', configured: '' };
  const [r, c] = sameAlgorithms;
  return {
    kind: r.dh.size === 0 || c.dh.size === 0 ? 'pfs-one-side' : 'dh',
    protocol,
    received: groups(r.dh),
    configured: groups(c.dh),
  };
}
