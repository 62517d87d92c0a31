// The incremental evaluation's edges that random simulator runs rarely reach
// (test/daemon/incremental-evaluation.test.ts covers the runs): what counts as unchanged data, two
// connections with one id, a flapping count leaving the window, evidence ageing by a second.
import { describe, expect, it } from 'vitest';
import { type DiagnoseOptions, diagnose } from '../../src/diagnose/engine.js';
import {
  connection,
  downTunnel,
  evidence,
  IDS,
  NOW,
  region,
  tunnel,
} from '../../src/diagnose/incidents/healthy-world.js';
import { IncrementalDiagnosis, sameData } from '../../src/diagnose/incremental.js';
import type { Snapshot } from '../../src/model/snapshot.js';

/** A healthy connection and one whose tunnel 1 is down with a PSK mismatch in its evidence. */
function fleet(): Snapshot {
  const other = connection({
    id: 'vco-bp1other0000000001',
    tunnels: [tunnel({ index: 1, id: 'tun-other1' }), tunnel({ index: 2, id: 'tun-other2' })],
  });
  const failing = connection({ tunnels: [downTunnel(1), tunnel({ index: 2 })] });
  return {
    takenAt: NOW,
    regions: [
      region({
        connections: [other, failing],
        evidence: [evidence(IDS.tunnel1, { diagnosis: [{ failedReasonCode: 'PskMismatch' }] })],
      }),
    ],
  };
}

const options = (now: number, stateChanges: Record<string, number> = {}): DiagnoseOptions => ({
  now,
  history: { stateChanges, flapWindowSeconds: 600 },
});

describe('sameData', () => {
  it('compares plain data deeply and takes anything else as changed', () => {
    expect(sameData({ a: [1, { b: 'x' }], c: null }, { a: [1, { b: 'x' }], c: null })).toBe(true);
    expect(sameData({ a: undefined }, {})).toBe(false);
    // Same number of keys, an undefined value where the other has a key of its own.
    expect(sameData({ a: undefined, b: 1 }, { b: 1, c: 5 })).toBe(false);
    expect(sameData({ b: 1, c: 5 }, { a: undefined, b: 1 })).toBe(false);
    expect(sameData({ a: { x: 1 } }, { a: { x: 1, y: undefined } })).toBe(false);
    expect(sameData(Object.create(null), {})).toBe(false);
    expect(sameData([1, 2], [1, 2, 3])).toBe(false);
    expect(sameData({ n: Number.NaN }, { n: Number.NaN })).toBe(true);
    expect(sameData(new Date(1), new Date(1))).toBe(false);
    expect(sameData(new Map([[1, 2]]), new Map())).toBe(false);
    expect(sameData([], {})).toBe(false);
  });
});

describe('IncrementalDiagnosis', () => {
  it('re-evaluates only the connection whose evidence aged, and gives the full result', () => {
    const inc = new IncrementalDiagnosis();
    const s = fleet();
    expect(inc.diagnose(s, options(NOW))).toStrictEqual(diagnose(s, options(NOW)));
    const again = structuredClone(s);
    expect(inc.diagnose(again, options(NOW + 400))).toStrictEqual(diagnose(again, options(NOW + 400)));
    expect(inc.lastStats()).toEqual({ evaluated: 0, reused: 1, connections: 0 }); // same second
    expect(inc.diagnose(again, options(NOW + 1_000))).toStrictEqual(diagnose(again, options(NOW + 1_000)));
    expect(inc.lastStats()).toEqual({ evaluated: 0, reused: 0, connections: 1 });
  });

  it('opens and resolves tunnel-flapping as the count enters and leaves the window', () => {
    const inc = new IncrementalDiagnosis();
    const s = fleet();
    const flapping = { [IDS.tunnel2]: 6 };
    const rules = (d: ReturnType<typeof diagnose>) => d.findings.map((f) => f.rule);
    inc.diagnose(s, options(NOW));
    const during = inc.diagnose(s, options(NOW, flapping));
    expect(during).toStrictEqual(diagnose(s, options(NOW, flapping)));
    expect(rules(during)).toContain('tunnel-flapping');
    const after = inc.diagnose(s, options(NOW)); // the changes left the window
    expect(after).toStrictEqual(diagnose(s, options(NOW)));
    expect(rules(after)).not.toContain('tunnel-flapping');
  });

  it('evaluates a region whose connections share an id as the engine does, every time', () => {
    const inc = new IncrementalDiagnosis();
    const twin = connection({ name: 'twin', tunnels: [downTunnel(1), tunnel({ index: 2 })] });
    const s: Snapshot = { takenAt: NOW, regions: [region({ connections: [connection(), twin] })] };
    expect(inc.diagnose(s, options(NOW))).toStrictEqual(diagnose(s, options(NOW)));
    expect(inc.diagnose(s, options(NOW))).toStrictEqual(diagnose(s, options(NOW)));
    expect(inc.lastStats()).toEqual({ evaluated: 1, reused: 0, connections: 2 });
  });

  it('evaluates everything again when the rules change', () => {
    const inc = new IncrementalDiagnosis();
    const s = fleet();
    inc.diagnose(s, options(NOW));
    inc.diagnose(s, { ...options(NOW), rules: { rules: [] } as unknown as DiagnoseOptions['rules'] });
    expect(inc.lastStats()).toEqual({ evaluated: 1, reused: 0, connections: 2 });
  });
});
