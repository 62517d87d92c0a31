// Snapshots are values: what compares successive cycles (the merge, the tracker, the stored
// baseline's digest, the /metrics label sets) tells an unchanged connection by its object, so nothing
// may change one in place. The test suite freezes what the merge keeps (collect/merge.ts) so that a
// change in place fails loudly there instead of going unseen in production.

/** Freeze `value` and every object and array inside it; already frozen parts are not walked again. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}
