/**
 * The catalog against the model map of the pinned LiteLLM release
 * (`litellm/model_prices_and_context_window_backup.json`, installed by `npx projen litellm:venv`):
 * LiteLLM prices, routes and retires models by this map, so a catalog member it does not know, of
 * another kind, or with another end of life is a mistake in one of the two (or a difference the
 * catalog records with its reason).
 */
import * as fs from 'fs';
import * as path from 'path';
import { CATALOG, CatalogEntry } from '../../src/private/catalog-data';
import { VENV } from '../contract/litellm-proxy';

/** The map in the virtual environment's site-packages (`lib/python3.X`, whichever Python made it). */
function mapFile(): string {
  const lib = path.join(VENV, 'lib');
  const python = fs.existsSync(lib) ? fs.readdirSync(lib).find((d) => d.startsWith('python3')) : undefined;
  if (python === undefined) throw new Error(`${VENV} has no Python library; run 'npx projen litellm:venv' first`);
  return path.join(lib, python, 'site-packages', 'litellm', 'model_prices_and_context_window_backup.json');
}

/** The map's `mode` for each catalog kind. */
const MODE_OF_KIND: Record<CatalogEntry['kind'], string> = { CHAT: 'chat', IMAGE: 'image_generation', EMBEDDING: 'embedding' };

function modelMap(): Record<string, { mode?: string; deprecation_date?: string; litellm_provider?: string }> {
  const file = mapFile();
  if (!fs.existsSync(file)) throw new Error(`${file} is missing; run 'npx projen litellm:venv' first`);
  return JSON.parse(fs.readFileSync(file, 'utf-8'));
}

const map = modelMap();
const rows = Object.entries(CATALOG);

test.each(rows)('%s: the pinned LiteLLM knows its id as a Bedrock model of the same kind', (_member, entry) => {
  const known = map[entry.modelId];
  expect(known).toBeDefined();
  expect(known.litellm_provider).toMatch(/^bedrock/);
  expect(known.mode).toBe(MODE_OF_KIND[entry.kind]);
});

test.each(rows)('%s: its end of life is the map\'s deprecation date, or the catalog says why not', (_member, entry) => {
  const deprecation = map[entry.modelId]?.deprecation_date;
  if (entry.modelMapDifference !== undefined) {
    // A recorded difference must still be one: drop the note once the two agree.
    expect(deprecation).not.toBe(entry.endOfLifeDate);
    return;
  }
  expect(entry.endOfLifeDate).toBe(deprecation);
});

test('a catalog member that is not Legacy has no deprecation date in the map, unless the catalog says why', () => {
  const retiring = rows.filter(([, e]) => e.lifecycle === 'ACTIVE' && map[e.modelId]?.deprecation_date !== undefined && e.modelMapDifference === undefined);
  expect(retiring.map(([member]) => member)).toEqual([]);
});
