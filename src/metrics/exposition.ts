// A scrape's answer as bytes, built family by family. At 4,000 tunnels the exposition is ~7 MB of
// text. Joined into one string it was held whole (at two bytes a character as soon as one help text
// or label value is outside Latin-1, as a connection name may be), flattened once more by the secret
// scrubber, and written to the socket through a buffer Node sizes at 3 bytes a character (21 MB,
// outside the heap): each scrape raised the daemon's RSS by ~50 MB, and scrapes set its peak
// (docs/performance.md). Scrubbed and encoded one family at a time, a scrape holds one family's
// text and the UTF-8 bytes, which are written as they are (no copy joins them).

const SEPARATOR = Buffer.from('\n\n');

/**
 * The texts separated by a blank line (as prom-client's Registry.metrics() joins its metrics), each
 * passed through `scrub` and encoded as UTF-8 before the next is made. A family's text never holds a
 * secret across the blank line between families, so scrubbing each is scrubbing the whole.
 */
export function exposition(texts: Iterable<string>, scrub: (text: string) => string): Buffer[] {
  const chunks: Buffer[] = [];
  for (const text of texts) {
    if (chunks.length > 0) chunks.push(SEPARATOR);
    chunks.push(Buffer.from(scrub(text), 'utf8'));
  }
  return chunks;
}
