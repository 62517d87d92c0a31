// One equality for the model's plain data, shared by what compares successive reads: the merge
// keeps an unchanged connection's object (collect/merge.ts), and the incremental evaluation reuses
// results whose inputs did not move (diagnose/incremental.ts). `sameElements` is the shallow one:
// the same objects in the same order (a region the merge settled, the stored baseline's memo).

/**
 * Deep equality of plain data (what the snapshot and the history hold: objects, arrays, strings,
 * numbers, booleans, null, undefined), shared references first. Much faster than a general deep
 * equality, and the merge runs it over every connection of the fleet on each status read.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  // Anything but a plain object (a Date, a Map) is taken as changed: safe, and the model has none.
  const pa = Object.getPrototypeOf(a);
  if ((pa !== Object.prototype && pa !== null) || Object.getPrototypeOf(b) !== pa) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  // No own-property check per key (half the cost): plain objects inherit no enumerable keys, a key
  // of `a` with a value other than undefined that `b` lacks fails the comparison of values, and the
  // counts then make the key sets equal. Only an undefined value needs `b` to have the key itself.
  let n = 0;
  for (const k in ra) {
    const va = ra[k];
    if (va === undefined ? !Object.hasOwn(rb, k) || rb[k] !== undefined : !sameData(va, rb[k])) return false;
    n++;
  }
  for (const _ in rb) n--;
  return n === 0;
}

/** The same elements in the same order, each the same value or object (`===`). */
export function sameElements<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
