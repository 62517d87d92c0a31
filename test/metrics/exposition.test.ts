// /metrics answers with bytes built family by family (src/metrics/exposition.ts): the same
// exposition as render(), UTF-8 whatever the label values, and scrubbed like every other answer.
import { describe, expect, it } from 'vitest';
import { secrets } from '../../src/log/redact.js';
import { exposition } from '../../src/metrics/exposition.js';
import { createMetrics } from '../../src/metrics/registry.js';
import { NOW } from '../fixtures/snapshot.js';
import { FixtureView, FLEET } from '../fixtures/view.js';
import { server } from '../server/helpers.js';

/** A connection name outside Latin-1 (Alibaba accepts Chinese and Japanese names). */
const WIDE_NAME = '杭州-東京 本社 VPN';
/** A secret the process knows that reached a label value (a name pasted with the key in it). */
const LEARNED_SECRET = 'Metrics-Label-Secret-0001';

function viewWithName(name: string): FixtureView {
  const view = new FixtureView();
  const conn = view.snap!.regions[0]!.connections.data.find((c) => c.id === FLEET.failedOver)!;
  conn.name = name;
  return view;
}

describe('/metrics bytes', () => {
  it('joins the texts with a blank line, each scrubbed before it is encoded', () => {
    const seen: string[] = [];
    const bytes = exposition(['# a\nx 1', 'y{n="é"} 2', '# prom'], (t) => {
      seen.push(t);
      return t.replace('x', 'X');
    });
    expect(seen).toEqual(['# a\nx 1', 'y{n="é"} 2', '# prom']);
    expect(Buffer.concat(bytes).equals(Buffer.from('# a\nX 1\n\ny{n="é"} 2\n\n# prom', 'utf8'))).toBe(true);
  });

  it('serves the same exposition as render(), in UTF-8, with a name outside Latin-1', async () => {
    const view = viewWithName(WIDE_NAME);
    const text = await createMetrics(view, {
      version: '9.9.9',
      now: () => NOW,
      defaultMetrics: false,
    }).render();
    const { app } = server({}, view);
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.rawPayload.equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
    expect(res.body).toContain(`connection_name="${WIDE_NAME}"`);
  });

  it('blanks a secret the process knows, as every other answer does', async () => {
    secrets.learn([LEARNED_SECRET]);
    const { app } = server({}, viewWithName(`site ${LEARNED_SECRET} ${WIDE_NAME}`));
    const res = await app.inject('/metrics');
    expect(res.body).not.toContain(LEARNED_SECRET);
    expect(res.body).toMatch(/connection_name="site \S+ 杭州-東京 本社 VPN"/);
  });
});
