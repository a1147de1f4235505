import * as fs from 'fs';
import { CONFIGURATIONS, estimateConfiguration, README, renderCostTable, renderReadme } from './cost-table';

jest.setTimeout(300_000);

const estimates = CONFIGURATIONS.map(estimateConfiguration);

test('the README cost table is the CLI\'s estimate of the synthesized configurations (run `npx projen docs:cost` after a change)', () => {
  const readme = fs.readFileSync(README, 'utf-8');
  expect(renderReadme(readme, renderCostTable(estimates))).toEqual(readme);
});

test('the economy recipe keeps HTTPS, private tasks and backups, and costs about half the default', () => {
  const [small] = estimates;
  const economy = estimates[CONFIGURATIONS.findIndex((c) => c.name.startsWith('Economy'))];
  for (const item of ['Load balancer', 'Interface endpoints', 'AWS Backup', 'RDS']) {
    expect(economy.lines.map((l) => l.item)).toContain(item);
  }
  expect(economy.lines.map((l) => l.item)).not.toContain('NAT gateways');
  expect(economy.total).toBeLessThan(small.total * 0.6);
});
