// What the store writes into its JSON columns goes through the process's one scrubber: an error
// text, a log line or a detail that carries a secret is stored blanked.
import { secrets } from '../log/redact.js';

export const storedJson = (value: unknown): string => secrets.scrubString(JSON.stringify(value));
