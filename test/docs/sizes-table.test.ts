import * as fs from 'fs';
import * as path from 'path';
import { docPage } from './doc-block';
import { CapacityReport, measurementOf, readCapacity, PAGE, renderPage, renderSizesTable, taskRows } from './sizes-table';
import { DeploymentSize } from '../../src';
import { DEFAULT_TARGET_CPU_PERCENT } from '../../src/private/scaling';
import { SIZES } from '../../src/private/sizes';

test('the sizes table shows the deployed sizes and the users measured for them (run `npx projen docs:sizes` after a change)', () => {
  const page = fs.readFileSync(PAGE, 'utf-8');
  expect(renderPage(page)).toEqual(page);
});

test('the capacity measurements are of the task sizes deployed (run `npx projen bench:capacity` after a change of size)', () => {
  const capacity = readCapacity();
  for (const size of Object.values(DeploymentSize)) expect(() => measurementOf(size, capacity)).not.toThrow();
});

test('a measurement of other task sizes than deployed is refused, naming the size and the command that measures again', () => {
  const capacity = readCapacity();
  const stale: CapacityReport = {
    ...capacity,
    results: [
      { ...measurementOf(DeploymentSize.SMALL, capacity), sizes: [DeploymentSize.SMALL, DeploymentSize.LARGE] },
      { ...measurementOf(DeploymentSize.SMALL, capacity), sizes: [DeploymentSize.MEDIUM], openWebUI: { cpu: 1, memoryLimitMiB: 1 } },
    ],
  };
  expect(() => renderSizesTable(stale)).toThrow("docs/capacity.json measured MEDIUM with other task sizes than src/private/sizes.ts deploys; run 'npx projen bench:capacity' again");
  expect(() => renderSizesTable({ ...capacity, results: [] })).toThrow("docs/capacity.json has no measurement of SMALL; run 'npx projen bench:capacity'");
});

test('every size gives each task memory at least 1.5 times the peak the benchmark measured at the users it served', () => {
  const capacity = JSON.parse(fs.readFileSync(docPage('capacity.json'), 'utf-8'));
  for (const result of capacity.results) {
    const at = result.levels.find((l: any) => l.users === result.usersServed);
    expect(at).toBeDefined();
    for (const size of result.sizes as DeploymentSize[]) {
      expect(SIZES[size].openWebUI.memoryLimitMiB).toBeGreaterThanOrEqual(1.5 * at.openWebUI.peakMiB);
      expect(SIZES[size].litellm.memoryLimitMiB).toBeGreaterThanOrEqual(1.5 * at.litellm.peakMiB);
    }
  }
});

test("DeploymentSize's documentation (API.md, Construct Hub) shows the tasks each size deploys", () => {
  const source = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'deployment-size.ts'), 'utf-8');
  for (const row of taskRows()) expect(source).toContain(` * ${row}`);
});

test('a service adds a task before its CPU reaches what it averaged at the most users it served with the first words within 2 s', () => {
  const capacity = JSON.parse(fs.readFileSync(docPage('capacity.json'), 'utf-8'));
  const deployed = capacity.results.filter((r: any) => r.sizes.length > 0 && r.scale === 1);
  expect(deployed.length).toBeGreaterThan(0);
  for (const result of deployed) {
    const at = result.levels.find((l: any) => l.users === result.usersServed);
    expect(DEFAULT_TARGET_CPU_PERCENT).toBeLessThanOrEqual(Math.round(at.openWebUI.cpuPercentOfQuota));
    expect(DEFAULT_TARGET_CPU_PERCENT).toBeLessThanOrEqual(Math.round(at.litellm.cpuPercentOfQuota));
  }
});
