// Authenticates a call as the Alibaba API gateway does: AccessKey lookup, request time within
// 15 minutes, signature (V3 ACS3-HMAC-SHA256 or legacy HMAC-SHA1), STS token, one-time nonce.
import type { SimBackend } from '../protocol.js';
import { gatewayErrors } from './errors.js';
import { header, type RawCall, type RequestStyle } from './params.js';
import {
  acs3Signature,
  acs3StringToSign,
  parseAcs3Authorization,
  rpcSignature,
  rpcStringToSign,
  sameSignature,
  sha256Hex,
} from './signature.js';

/** Alibaba accepts a request time within 15 minutes of its own clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export interface Identity {
  accessKeyId: string;
  account: string;
}

type CredentialLookup = SimBackend['credential'];

/** Remembers nonces for the skew window; insertion order is time order, so expiry pops the front. */
class NonceStore {
  private readonly seen = new Map<string, number>();

  /** False when the nonce was already used within the window. */
  claim(key: string, now: number): boolean {
    for (const [k, expires] of this.seen) {
      if (expires > now) break;
      this.seen.delete(k);
    }
    if (this.seen.has(key)) return false;
    this.seen.set(key, now + 2 * MAX_CLOCK_SKEW_MS);
    return true;
  }
}

function checkTime(value: string | undefined, name: string, now: number): void {
  if (value === undefined || value === '') throw gatewayErrors.missingParameter(name);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)) throw gatewayErrors.timestampFormat();
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw gatewayErrors.timestampFormat();
  if (Math.abs(now - at) > MAX_CLOCK_SKEW_MS) throw gatewayErrors.timestampExpired();
}

export class Authenticator {
  private readonly nonces = new NonceStore();

  constructor(
    private readonly lookup: CredentialLookup,
    private readonly now: () => number,
  ) {}

  /** The caller's identity, or throws the SimApiError Alibaba would answer. */
  authenticate(call: RawCall, style: RequestStyle): Identity {
    return style === 'v3' ? this.authenticateV3(call) : this.authenticateRpc(call);
  }

  private authenticateV3(call: RawCall): Identity {
    const authorization = header(call.headers, 'authorization');
    if (authorization === undefined || authorization === '') throw gatewayErrors.missingAccessKeyId();
    const auth = parseAcs3Authorization(authorization);
    if (!auth) throw gatewayErrors.incompleteSignature();
    if (auth.algorithm !== 'ACS3-HMAC-SHA256') throw gatewayErrors.invalidSignatureMethod();
    const cred = this.lookup(auth.accessKeyId);
    if (!cred) throw gatewayErrors.accessKeyNotFound();
    const signed = new Set(auth.signedHeaders.map((h) => h.toLowerCase()));
    // Every x-acs-* header sent must be covered by the signature, as Alibaba requires.
    for (const name of Object.keys(call.headers)) {
      if (name.startsWith('x-acs-') && !signed.has(name)) throw gatewayErrors.incompleteSignature();
    }
    if (!signed.has('host')) throw gatewayErrors.incompleteSignature();
    const now = this.now();
    checkTime(header(call.headers, 'x-acs-date'), 'x-acs-date', now);
    const nonce = header(call.headers, 'x-acs-signature-nonce');
    if (!nonce) throw gatewayErrors.missingParameter('x-acs-signature-nonce');
    const { stringToSign } = acs3StringToSign({
      method: call.method,
      path: call.path,
      query: call.query,
      headers: call.headers,
      signedHeaders: auth.signedHeaders,
      // The server's own hash of the body: a body that differs from x-acs-content-sha256 fails here.
      payloadHash: sha256Hex(call.body),
    });
    if (!sameSignature(acs3Signature(cred.secret, stringToSign), auth.signature)) {
      throw gatewayErrors.signatureMismatch(stringToSign, false);
    }
    this.checkToken(cred.securityToken, header(call.headers, 'x-acs-security-token'));
    if (!this.nonces.claim(`${auth.accessKeyId}\n${nonce}`, now)) throw gatewayErrors.nonceUsed();
    return { accessKeyId: auth.accessKeyId, account: cred.account };
  }

  private authenticateRpc(call: RawCall): Identity {
    // The legacy signature covers query and body parameters together.
    const params = { ...call.query, ...call.bodyParams };
    const accessKeyId = params['AccessKeyId'];
    if (!accessKeyId) throw gatewayErrors.missingAccessKeyId();
    const signature = params['Signature'];
    if (!signature) throw gatewayErrors.incompleteSignature();
    const method = params['SignatureMethod'];
    if (method !== undefined && method !== 'HMAC-SHA1') throw gatewayErrors.invalidSignatureMethod();
    const cred = this.lookup(accessKeyId);
    if (!cred) throw gatewayErrors.accessKeyNotFound();
    const now = this.now();
    checkTime(params['Timestamp'], 'Timestamp', now);
    const nonce = params['SignatureNonce'];
    if (!nonce) throw gatewayErrors.missingParameter('SignatureNonce');
    const stringToSign = rpcStringToSign(call.method, params);
    if (!sameSignature(rpcSignature(cred.secret, stringToSign), signature)) {
      // Alibaba echoes the string to sign; an STS token inside it must not leave the server.
      const shown = params['SecurityToken']
        ? rpcStringToSign(call.method, { ...params, SecurityToken: '***' })
        : stringToSign;
      throw gatewayErrors.signatureMismatch(shown, true);
    }
    this.checkToken(cred.securityToken, params['SecurityToken']);
    if (!this.nonces.claim(`${accessKeyId}\n${nonce}`, now)) throw gatewayErrors.nonceUsed();
    return { accessKeyId, account: cred.account };
  }

  private checkToken(expected: string | undefined, sent: string | undefined): void {
    if (expected === undefined || expected === '') return;
    if (sent === undefined || sent === '') throw gatewayErrors.missingSecurityToken();
    if (!sameSignature(expected, sent)) throw gatewayErrors.securityTokenMismatch();
  }
}
