import type { ConfigProblem } from './interpolate.js';
import { formatPath } from './interpolate.js';

export interface LocatedProblem extends ConfigProblem {
  /** 1-based line in the source file, when the field exists there. */
  line?: number;
}

/** Every problem found in one config file, each line naming the file, the field path and what is wrong. */
export class ConfigError extends Error {
  readonly source: string;
  readonly problems: LocatedProblem[];

  constructor(source: string, problems: LocatedProblem[]) {
    const lines = problems.map((p) => formatProblem(source, p));
    super(
      problems.length === 1
        ? lines[0]!
        : `${source}: ${problems.length} problems in the configuration:\n  ${lines.join('\n  ')}`,
    );
    this.name = 'ConfigError';
    this.source = source;
    this.problems = problems;
  }

  /** One line per problem. */
  get lines(): string[] {
    return this.problems.map((p) => formatProblem(this.source, p));
  }
}

export function formatProblem(source: string, p: LocatedProblem): string {
  const where = p.path.length > 0 ? `${formatPath(p.path)}: ` : '';
  const line = p.line !== undefined ? ` (line ${p.line})` : '';
  return `${source}: ${where}${p.message}${line}`;
}
