import * as fs from 'fs';
import { CONFIGURATIONS, estimateConfiguration, PAGE, renderCostTable, renderPage } from './cost-table';

jest.setTimeout(300_000);

const estimates = CONFIGURATIONS.map(estimateConfiguration);

test('the cost table is the CLI\'s estimate of the synthesized configurations (run `npx projen docs:cost` after a change)', () => {
  const page = fs.readFileSync(PAGE, 'utf-8');
  expect(renderPage(page, renderCostTable(estimates))).toEqual(page);
});

test('the economy recipe keeps HTTPS, private tasks and backups, and saves on tasks, database and dashboard', () => {
  const [small] = estimates;
  const economy = estimates[CONFIGURATIONS.findIndex((c) => c.name.startsWith('Economy'))];
  for (const item of ['Load balancer', 'Interface endpoints', 'AWS Backup', 'RDS']) {
    expect(economy.lines.map((l) => l.item)).toContain(item);
  }
  expect(economy.lines.map((l) => l.item)).not.toContain('NAT gateways');
  const amount = (e: typeof small, item: string) => e.lines.filter((l) => l.item === item).reduce((sum, l) => sum + l.monthly, 0);
  // Off hours and Spot: the tasks cost less than half; a db.t4g.micro; no dashboard.
  expect(amount(economy, 'Fargate')).toBeLessThan(amount(small, 'Fargate') / 2);
  expect(amount(economy, 'RDS')).toBeLessThan(amount(small, 'RDS'));
  expect(amount(economy, 'CloudWatch dashboard')).toBe(0);
  expect(economy.total).toBeLessThan(small.total);
});
