// IKE wire constants the probe sends and reads: IKEv2 (RFC 7296) and ISAKMP/IKEv1 (RFC 2408/2409).
// Only what one first message and its possible answers need; names are the RFCs' own.

export const IKE_HEADER_LENGTH = 28;
/** UDP 4500 carries IKE behind four zero bytes (RFC 3948 non-ESP marker); ESP starts with its SPI. */
export const NON_ESP_MARKER_LENGTH = 4;

// ── IKEv2 ─────────────────────────────────────────────────────────────────────────────────────
export const V2 = {
  version: 0x20,
  exchange: { IKE_SA_INIT: 34, IKE_AUTH: 35, CREATE_CHILD_SA: 36, INFORMATIONAL: 37 },
  flag: { initiator: 0x08, version: 0x10, response: 0x20 },
  payload: {
    SA: 33,
    KE: 34,
    IDi: 35,
    IDr: 36,
    CERT: 37,
    CERTREQ: 38,
    AUTH: 39,
    Nonce: 40,
    Notify: 41,
    Delete: 42,
    VendorID: 43,
    TSi: 44,
    TSr: 45,
    SK: 46,
    CP: 47,
    EAP: 48,
    SKF: 53,
  },
  transform: { ENCR: 1, PRF: 2, INTEG: 3, DH: 4 },
  protocol: { IKE: 1 },
} as const;

export const V2_PAYLOAD_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(V2.payload).map(([name, n]) => [n, name]),
);

export const V2_EXCHANGE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(V2.exchange).map(([name, n]) => [n, name]),
);

/** IKEv2 Notify Message Types (IANA "IKEv2 Notify Message Types"), errors below 16384. */
export const V2_NOTIFY_NAMES: Record<number, string> = {
  1: 'UNSUPPORTED_CRITICAL_PAYLOAD',
  4: 'INVALID_IKE_SPI',
  5: 'INVALID_MAJOR_VERSION',
  7: 'INVALID_SYNTAX',
  9: 'INVALID_MESSAGE_ID',
  11: 'INVALID_SPI',
  14: 'NO_PROPOSAL_CHOSEN',
  17: 'INVALID_KE_PAYLOAD',
  24: 'AUTHENTICATION_FAILED',
  34: 'SINGLE_PAIR_REQUIRED',
  35: 'NO_ADDITIONAL_SAS',
  36: 'INTERNAL_ADDRESS_FAILURE',
  37: 'FAILED_CP_REQUIRED',
  38: 'TS_UNACCEPTABLE',
  39: 'INVALID_SELECTORS',
  43: 'TEMPORARY_FAILURE',
  44: 'CHILD_SA_NOT_FOUND',
  16384: 'INITIAL_CONTACT',
  16385: 'SET_WINDOW_SIZE',
  16386: 'ADDITIONAL_TS_POSSIBLE',
  16387: 'IPCOMP_SUPPORTED',
  16388: 'NAT_DETECTION_SOURCE_IP',
  16389: 'NAT_DETECTION_DESTINATION_IP',
  16390: 'COOKIE',
  16391: 'USE_TRANSPORT_MODE',
  16392: 'HTTP_CERT_LOOKUP_SUPPORTED',
  16393: 'REKEY_SA',
  16394: 'ESP_TFC_PADDING_NOT_SUPPORTED',
  16395: 'NON_FIRST_FRAGMENTS_ALSO',
  16396: 'MOBIKE_SUPPORTED',
  16404: 'MULTIPLE_AUTH_SUPPORTED',
  16406: 'REDIRECT_SUPPORTED',
  16407: 'REDIRECT',
  16430: 'IKEV2_FRAGMENTATION_SUPPORTED',
  16431: 'SIGNATURE_HASH_ALGORITHMS',
  16418: 'CHILDLESS_IKEV2_SUPPORTED',
  16434: 'PUZZLE',
  16435: 'USE_PPK',
};

/** IKEv2 transform ids, for naming what a responder chose. */
export const V2_ENCR_NAMES: Record<number, string> = {
  3: '3DES',
  12: 'AES_CBC',
  13: 'AES_CTR',
  20: 'AES_GCM_16',
  28: 'CHACHA20_POLY1305',
};
export const V2_PRF_NAMES: Record<number, string> = {
  1: 'PRF_HMAC_MD5',
  2: 'PRF_HMAC_SHA1',
  5: 'PRF_HMAC_SHA2_256',
  6: 'PRF_HMAC_SHA2_384',
  7: 'PRF_HMAC_SHA2_512',
};
export const V2_INTEG_NAMES: Record<number, string> = {
  1: 'AUTH_HMAC_MD5_96',
  2: 'AUTH_HMAC_SHA1_96',
  12: 'AUTH_HMAC_SHA2_256_128',
  13: 'AUTH_HMAC_SHA2_384_192',
  14: 'AUTH_HMAC_SHA2_512_256',
};

// ── IKEv1 / ISAKMP ────────────────────────────────────────────────────────────────────────────
export const V1 = {
  version: 0x10,
  exchange: { BASE: 1, IDENTITY_PROTECTION: 2, AUTHENTICATION_ONLY: 3, AGGRESSIVE: 4, INFORMATIONAL: 5 },
  payload: {
    SA: 1,
    Proposal: 2,
    Transform: 3,
    KE: 4,
    ID: 5,
    CERT: 6,
    CR: 7,
    HASH: 8,
    SIG: 9,
    Nonce: 10,
    Notification: 11,
    Delete: 12,
    VendorID: 13,
    NAT_D: 20,
    NAT_OA: 21,
  },
  doi: { IPSEC: 1 },
  situation: { IDENTITY_ONLY: 1 },
  protocol: { ISAKMP: 1 },
  transformId: { KEY_IKE: 1 },
  attribute: {
    ENCRYPTION: 1,
    HASH: 2,
    AUTH_METHOD: 3,
    GROUP: 4,
    LIFE_TYPE: 11,
    LIFE_DURATION: 12,
    KEY_LENGTH: 14,
  },
  encryption: { DES_CBC: 1, '3DES_CBC': 5, AES_CBC: 7 },
  hash: { MD5: 1, SHA: 2, SHA2_256: 4, SHA2_384: 5, SHA2_512: 6 },
  authMethod: { PRE_SHARED_KEY: 1 },
  lifeType: { SECONDS: 1 },
} as const;

export const V1_PAYLOAD_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(V1.payload).map(([name, n]) => [n, name]),
);

export const V1_EXCHANGE_NAMES: Record<number, string> = {
  1: 'BASE',
  2: 'MAIN_MODE',
  3: 'AUTHENTICATION_ONLY',
  4: 'AGGRESSIVE_MODE',
  5: 'INFORMATIONAL_V1',
  32: 'QUICK_MODE',
};

/** ISAKMP Notify Message Types (RFC 2408 3.14.1), spelt as IKEv2 spells its own. */
export const V1_NOTIFY_NAMES: Record<number, string> = {
  1: 'INVALID_PAYLOAD_TYPE',
  2: 'DOI_NOT_SUPPORTED',
  3: 'SITUATION_NOT_SUPPORTED',
  4: 'INVALID_COOKIE',
  5: 'INVALID_MAJOR_VERSION',
  6: 'INVALID_MINOR_VERSION',
  7: 'INVALID_EXCHANGE_TYPE',
  8: 'INVALID_FLAGS',
  9: 'INVALID_MESSAGE_ID',
  10: 'INVALID_PROTOCOL_ID',
  11: 'INVALID_SPI',
  12: 'INVALID_TRANSFORM_ID',
  13: 'ATTRIBUTES_NOT_SUPPORTED',
  14: 'NO_PROPOSAL_CHOSEN',
  15: 'BAD_PROPOSAL_SYNTAX',
  16: 'PAYLOAD_MALFORMED',
  17: 'INVALID_KEY_INFORMATION',
  18: 'INVALID_ID_INFORMATION',
  19: 'INVALID_CERT_ENCODING',
  20: 'INVALID_CERTIFICATE',
  21: 'CERT_TYPE_UNSUPPORTED',
  22: 'INVALID_CERT_AUTHORITY',
  23: 'INVALID_HASH_INFORMATION',
  24: 'AUTHENTICATION_FAILED',
  25: 'INVALID_SIGNATURE',
  26: 'ADDRESS_NOTIFICATION',
  27: 'NOTIFY_SA_LIFETIME',
  28: 'CERTIFICATE_UNAVAILABLE',
  29: 'UNSUPPORTED_EXCHANGE_TYPE',
  30: 'UNEQUAL_PAYLOAD_LENGTHS',
  24576: 'RESPONDER_LIFETIME',
  24577: 'REPLAY_STATUS',
  24578: 'INITIAL_CONTACT',
  36136: 'R_U_THERE',
  36137: 'R_U_THERE_ACK',
};

export const V1_ENCRYPTION_NAMES: Record<number, string> = { 1: 'DES', 5: '3DES', 7: 'AES' };
export const V1_HASH_NAMES: Record<number, string> = {
  1: 'MD5',
  2: 'SHA1',
  4: 'SHA256',
  5: 'SHA384',
  6: 'SHA512',
};

/** A name for a number from a table, or `prefix(n)` when the table does not know it. */
export function nameOf(table: Record<number, string>, n: number, prefix: string): string {
  return table[n] ?? `${prefix}(${n})`;
}
