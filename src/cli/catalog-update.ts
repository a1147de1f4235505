import * as fs from 'fs';
import { Inventory } from './inventory';
import { BedrockApi, CatalogEntry } from '../private/catalog-data';

/**
 * The runtime APIs a new row starts with: the control plane does not list them, so a chat model
 * gets the two every current chat model card lists and a row's reviewer checks them against the
 * model card's "APIs supported" (an existing row keeps what it has).
 */
const USUAL_APIS: Record<CatalogEntry['kind'], BedrockApi[]> = { CHAT: ['INVOKE', 'CONVERSE'], IMAGE: ['INVOKE'], EMBEDDING: ['INVOKE'] };

/**
 * Writes an inventory as rows of the catalog's data format (`CatalogEntry`, see
 * src/private/catalog-data.ts), merged with the rows already in the file (listings of other
 * regions: a model's `regions` become the union). A model invoked only through a profile gets the
 * profile's row instead. The rows are for review: copy what should change into catalog-data.ts,
 * after checking a new row's `apis` against its model card.
 */
export function updateCatalogFile(file: string, inventory: Inventory): number {
  const existing: CatalogEntry[] = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf-8')) : [];
  const rows = new Map(existing.map((r) => [r.modelId, r]));
  for (const m of inventory.models) {
    const profiles = m.onDemand ? [] : m.profiles;
    const kind = m.kind.toUpperCase() as CatalogEntry['kind'];
    const entries: CatalogEntry[] = (profiles.length > 0 ? profiles : [m.modelId]).map((id) => ({
      name: m.name,
      kind,
      access: id === m.modelId ? 'FOUNDATION_MODEL' : id.startsWith('global.') ? 'GLOBAL_INFERENCE_PROFILE' : 'GEOGRAPHIC_INFERENCE_PROFILE',
      modelId: id,
      apis: USUAL_APIS[kind],
      displayName: id.replace(/^(global|us|eu|apac|jp|au|ca)\./, '').replace(/^[a-z0-9-]+\./, '').replace(/[:]/g, '-'),
      regions: id.startsWith('global.') ? [] : [inventory.region],
      lifecycle: m.lifecycle === 'LEGACY' ? 'LEGACY' : 'ACTIVE',
      ...(m.endOfLife !== undefined ? { endOfLifeDate: m.endOfLife } : {}),
    }));
    for (const entry of entries) {
      const before = rows.get(entry.modelId);
      const regions = [...new Set([...(before?.regions ?? []), ...entry.regions])].sort();
      // A reviewed row keeps its APIs and display name.
      rows.set(entry.modelId, {
        ...before, ...entry, apis: before?.apis ?? entry.apis, displayName: before?.displayName ?? entry.displayName, regions,
      });
    }
  }
  const sorted = [...rows.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.modelId.localeCompare(b.modelId));
  fs.writeFileSync(file, `${JSON.stringify(sorted, null, 2)}\n`);
  return sorted.length;
}
