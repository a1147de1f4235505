import * as fs from 'fs';
import { PAGE, renderCatalogTable, renderPage, renderRegionsTable } from './model-tables';
import { CATALOG } from '../../src/private/catalog-data';

test('the tables are the ones the catalog renders (run `npx projen docs:models` after a catalog change)', () => {
  const page = fs.readFileSync(PAGE, 'utf-8');
  expect(renderPage(page)).toEqual(page);
});

test('the catalog table has a row per catalog member, and the regions table a row per region', () => {
  expect(renderCatalogTable().split('\n').filter((l) => l.startsWith('| `'))).toHaveLength(Object.keys(CATALOG).length);
  expect(renderRegionsTable()).toContain('| us-east-1 | `ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL` | `AMAZON_TITAN_EMBED_TEXT_V2` | none: chat and documents only');
  expect(renderRegionsTable()).toContain('| us-west-2 | `ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL` | `AMAZON_TITAN_EMBED_TEXT_V2` | `STABILITY_STABLE_IMAGE_CORE_V1_1` (in us-west-2) |');
});
