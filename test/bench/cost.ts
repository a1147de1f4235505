/**
 * The cost targets, measured with the CLI's estimate (`npx projen bench:cost`): the default small,
 * private, HTTPS deployment with backups, and the economy recipe, in us-east-1. Prints each
 * configuration's monthly baseline by item and whether it meets its target.
 */
import { CONFIGURATIONS, estimateConfiguration } from '../docs/cost-table';

for (const c of CONFIGURATIONS) {
  const e = estimateConfiguration(c);
  const verdict = c.target === undefined ? '' : `  target <= $${c.target}: ${e.total <= c.target ? 'MET' : 'MISSED'}`;
  console.log(`${c.name}: $${e.total.toFixed(2)} a month${verdict}`);
  if (c.target !== undefined) {
    for (const l of e.lines) console.log(`  ${l.item.padEnd(22)} ${l.monthly.toFixed(2).padStart(8)}  ${l.detail}`);
  }
}
