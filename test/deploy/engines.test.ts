// The Node versions package.json claims (`engines`) are ones every installed package accepts, so
// `npm install` on any of them warns no EBADENGINE; the Dockerfile's Node and the Node running the
// tests are among them. Two packages pulled in by fastify moved to a Node >= 22 major (cookie 2,
// content-disposition 3: ESM-only rewrites); package.json's `overrides` keep their previous majors,
// and the last test pins the one call each dependent makes to what those majors provide.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const read = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));

// semver is declared in devDependencies; it ships no types of its own.
interface Comparator {
  value: string;
}
interface Semver {
  Range: new (range: string) => { set: Comparator[][] };
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
}
const semver = createRequire(import.meta.url)('semver') as Semver;

const claimed = (read('package.json') as { engines: { node: string } }).engines.node;
const lock = read('package-lock.json') as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

/** The lowest version of each alternative of a range: ^20.19.0 || >=24 gives 20.19.0 and 24.0.0. */
function lowestOfEachLine(range: string): string[] {
  return new semver.Range(range).set.map((set) => {
    const min = semver.minVersion(set.map((c) => c.value).join(' '));
    if (!min) throw new Error(`engines alternative matches no version: ${range}`);
    return min.version;
  });
}

/** Every locked package whose engines.node refuses `version`. */
function refusing(version: string): string[] {
  const out: string[] = [];
  for (const [path, p] of Object.entries(lock.packages)) {
    const node = Array.isArray(p.engines) ? undefined : p.engines?.node;
    if (path && node && !semver.satisfies(version, node)) out.push(`${path}@${p.version}: ${node}`);
  }
  return out;
}

describe('engines.node', () => {
  it('names Node lines every locked package accepts, from the first release claimed', () => {
    const lowest = lowestOfEachLine(claimed);
    expect(lowest).toEqual(['20.19.0', '22.13.0', '24.0.0']);
    for (const version of lowest) expect(refusing(version), `on Node ${version}`).toEqual([]);
  });

  it('includes the Node of the container image and the Node running these tests', () => {
    const image = /ARG NODE_IMAGE=node:(\d+\.\d+\.\d+)-/.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    expect(image, 'Dockerfile: ARG NODE_IMAGE=node:X.Y.Z-…').not.toBeNull();
    for (const version of [image![1]!, process.versions.node]) {
      expect(semver.satisfies(version, claimed), `${version} within ${claimed}`).toBe(true);
      expect(refusing(version), `on Node ${version}`).toEqual([]);
    }
  });

  it('keeps the overridden packages on majors that provide what their dependents call', () => {
    const from = (dependent: string) => createRequire(join(ROOT, 'node_modules', dependent, 'package.json'));
    // light-my-request (fastify's inject) serialises cookies with stringifySetCookie({ name, value }).
    const cookie = from('light-my-request')('cookie') as {
      stringifySetCookie(c: { name: string; value: string }): string;
    };
    expect(cookie.stringifySetCookie({ name: 'session', value: 'a b' })).toBe('session=a%20b');
    // @fastify/static (swagger-ui's assets) builds download headers with create(filename).
    const disposition = from('@fastify/static')('content-disposition') as { create(name: string): string };
    expect(disposition.create('report.json')).toBe('attachment; filename=report.json');
  });
});
