// The catalogue of fact names rules may use. `rules lint` rejects names not listed here.

/** One documented fact: a dotted name as rules write it, its CEL type and what it means. */
export interface FactDoc {
  /** Dotted, e.g. 'routing.missingVpnRoutes'. */
  name: string;
  /** CEL type: bool | int | double | string | list<string> | list<map> | map | null-or-… */
  type: string;
  doc: string;
}
