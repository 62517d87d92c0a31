// The /metrics text is written by our scrape families (src/metrics/family.ts) for speed; prom-client's
// own Registry serialisation is the reference. Hostile connection names (quotes, backslashes,
// newlines, any Unicode) must come out byte-identical to it, so escaping is never weaker.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics/registry.js';
import { FixtureView, largeSnapshot } from '../fixtures/view.js';

describe('/metrics exposition text', () => {
  it('is byte-identical to prom-client for any connection names', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 })), {
          minLength: 1,
          maxLength: 5,
        }),
        async (names) => {
          const view = new FixtureView();
          view.snap = largeSnapshot(names.length);
          const connections = view.snap.regions.flatMap((r) => r.connections.data);
          for (const [i, c] of connections.entries()) c.name = names[i % names.length]!;
          const metrics = createMetrics(view, { version: 'v"1\\\n', defaultMetrics: false, now: () => 0 });
          const ours = await metrics.render();
          expect(ours).toBe(await metrics.registry.metrics());
        },
      ),
      { numRuns: 100 },
    );
  });
});
