// Alibaba resource ids the product accepts from people (CLI flags, config keys, API paths), checked
// the same way everywhere. A VPN connection id is `vco-` and lowercase letters, digits and hyphens,
// as Alibaba writes it (e.g. vco-bp1hztokyo00000001); an id that cannot exist is refused with a
// clear message instead of being looked up and reported as not found.

/** A VPN connection id (`vco-…`). The API's JSON Schema uses its `source` as its `pattern`. */
export const CONNECTION_ID = /^vco-[a-z0-9][a-z0-9-]{0,62}$/;

export const isConnectionId = (value: string): boolean => CONNECTION_ID.test(value);

/** What to tell someone whose value is not a connection id. */
export const CONNECTION_ID_HINT = 'connection ids look like "vco-…" (lowercase letters, digits and hyphens)';
