// Where the benchmark finds the repository, whether it runs from its sources (bench/*.ts through
// tsx) or compiled (bench/.build/whole/bench/*.js, as `npm run bench` runs it: see bench/start.ts).
import { join, sep } from 'node:path';

const COMPILED_MARKER = `${sep}bench${sep}.build${sep}`;
const here = import.meta.dirname;
const at = here.indexOf(COMPILED_MARKER);

/** True when this code is the compiled copy (plain JavaScript, as the daemon ships). */
export const RUNNING_COMPILED = at >= 0;
/** The repository root. */
export const REPO_ROOT = RUNNING_COMPILED ? here.slice(0, at) : join(here, '..');
