// Things in a valid config worth a word before the first API call: a region id this release does
// not list is watched as given, but a person should know it was not recognised.
import { regionVerdict } from './regions.js';
import type { AppConfig } from './schema.js';

export function configWarnings(config: AppConfig): string[] {
  const out: string[] = [];
  config.accounts.forEach((account, i) => {
    account.regions.forEach((region, j) => {
      if (regionVerdict(region).kind === 'new')
        out.push(
          `accounts[${i}].regions[${j}]: "${region}" is not in this release's list of Alibaba Cloud regions; watching it as given (if its calls fail, check the id)`,
        );
    });
  });
  return out;
}
