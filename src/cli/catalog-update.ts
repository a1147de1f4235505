import * as fs from 'fs';
import { Inventory } from './inventory';
import { CatalogEntry } from '../private/catalog-data';

/**
 * Writes an inventory as rows of the catalog's data format (`CatalogEntry`, see
 * src/private/catalog-data.ts), merged with the rows already in the file (listings of other
 * regions: a model's `regions` become the union). A model invoked only through a profile gets the
 * profile's row instead. The rows are for review: copy what should change into catalog-data.ts.
 */
export function updateCatalogFile(file: string, inventory: Inventory): number {
  const existing: CatalogEntry[] = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf-8')) : [];
  const rows = new Map(existing.map((r) => [r.modelId, r]));
  for (const m of inventory.models) {
    const profiles = m.onDemand ? [] : m.profiles;
    const entries: CatalogEntry[] = (profiles.length > 0 ? profiles : [m.modelId]).map((id) => ({
      name: m.name,
      kind: m.kind.toUpperCase() as CatalogEntry['kind'],
      access: id === m.modelId ? 'FOUNDATION_MODEL' : id.startsWith('global.') ? 'GLOBAL_INFERENCE_PROFILE' : 'GEOGRAPHIC_INFERENCE_PROFILE',
      modelId: id,
      displayName: id.replace(/^(global|us|eu|apac|jp|au|ca)\./, '').replace(/^[a-z0-9-]+\./, '').replace(/[:]/g, '-'),
      regions: id.startsWith('global.') ? [] : [inventory.region],
      lifecycle: m.lifecycle === 'LEGACY' ? 'LEGACY' : 'ACTIVE',
      ...(m.endOfLife !== undefined ? { endOfLifeDate: m.endOfLife } : {}),
    }));
    for (const entry of entries) {
      const before = rows.get(entry.modelId);
      const regions = [...new Set([...(before?.regions ?? []), ...entry.regions])].sort();
      rows.set(entry.modelId, { ...before, ...entry, displayName: before?.displayName ?? entry.displayName, regions });
    }
  }
  const sorted = [...rows.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.modelId.localeCompare(b.modelId));
  fs.writeFileSync(file, `${JSON.stringify(sorted, null, 2)}\n`);
  return sorted.length;
}
