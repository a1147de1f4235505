import Table from 'cli-table3';
import { CostEstimate } from './cost';
import { Finding, catalogByName } from './doctor';
import { Inventory, ModelKind, ModelRow } from './inventory';

/** Plain tables (no colours), so that output reads the same in a terminal, a log and the docs. */
export function table(head: string[], rows: (string | number)[][]): string {
  const t = new Table({ head, style: { head: [], border: [], compact: true } });
  t.push(...rows.map((r) => r.map(String)));
  return t.toString();
}

const KINDS: ModelKind[] = ['chat', 'image', 'embedding'];

export function formatInventory(inventory: Inventory): string {
  const parts: string[] = [];
  for (const kind of KINDS) {
    const rows = inventory.models.filter((m) => m.kind === kind);
    if (rows.length === 0) continue;
    parts.push(`${kind} models in ${inventory.region}:`, table(['model id', 'provider', 'lifecycle', 'invoke', 'access'], rows.map((m) => [
      m.modelId, m.provider, m.lifecycle + (m.endOfLife ? ` (end ${m.endOfLife})` : ''), invokeHow(m), m.access,
    ])));
  }
  const system = inventory.profiles.filter((p) => p.type === 'SYSTEM_DEFINED');
  if (system.length > 0) parts.push('system inference profiles:', table(['profile id', 'status', 'routes to'], system.map((p) => [p.id, p.status, p.modelIds.join(', ')])));
  const application = inventory.profiles.filter((p) => p.type === 'APPLICATION');
  if (application.length > 0) parts.push('application inference profiles:', table(['name', 'arn', 'status'], application.map((p) => [p.name, p.arn, p.status])));
  if (inventory.provisioned.length > 0) {
    parts.push('provisioned throughputs:', table(['name', 'arn', 'status', 'units'], inventory.provisioned.map((p) => [p.name, p.arn, p.status, p.modelUnits])));
  }
  if (inventory.customModels.length > 0) {
    parts.push('custom models:', table(['name', 'arn', 'base model', 'status'], inventory.customModels.map((m) => [m.name, m.arn, m.baseModel, m.status])));
  }
  return parts.join('\n');
}

function invokeHow(m: ModelRow): string {
  if (m.onDemand) return 'on demand';
  return m.profiles.length > 0 ? `profile ${m.profiles.join(', ')}` : 'provisioned only';
}

/**
 * A `models` list to paste into a CDK app, in TypeScript and Python: the catalog member where one
 * matches, else `BedrockModel.foundationModel` or `inferenceProfile`: one model of each kind,
 * Active and usable by the account.
 */
export function modelsSnippet(inventory: Inventory): { typescript: string; python: string } {
  const catalog = [...catalogByName().entries()];
  const picks: { ts: string; py: string }[] = [];
  for (const kind of KINDS) {
    const usable = inventory.models.filter((m) => m.kind === kind && m.lifecycle === 'ACTIVE' && !m.access.startsWith('not granted'));
    const idsOf = (m: ModelRow) => (m.onDemand ? [m.modelId, ...m.profiles] : m.profiles);
    // The first catalog member the account can use (the catalog lists its recommendations first) ...
    const member = catalog.find(([, c]) => usable.some((m) => idsOf(m).includes(c.modelId)));
    if (member !== undefined) {
      picks.push({ ts: `BedrockModel.${member[0]}`, py: `BedrockModel.${member[0]}` });
      continue;
    }
    // ... else the first usable model, by id.
    const model = usable.find((m) => idsOf(m).length > 0);
    if (model === undefined) continue;
    const id = idsOf(model)[0];
    const kindName = kind.toUpperCase();
    const [method, prop, pyMethod, pyProp] = model.onDemand
      ? ['foundationModel', 'modelId', 'foundation_model', 'model_id'] : ['inferenceProfile', 'profileId', 'inference_profile', 'profile_id'];
    picks.push({
      ts: `BedrockModel.${method}({ ${prop}: '${id}', kind: BedrockModelKind.${kindName} })`,
      py: `BedrockModel.${pyMethod}(${pyProp}="${id}", kind=BedrockModelKind.${kindName})`,
    });
  }
  const typescript = `models: [\n${picks.map((p) => `  ${p.ts},`).join('\n')}\n],`;
  const python = `models=[\n${picks.map((p) => `    ${p.py},`).join('\n')}\n],`;
  return { typescript, python };
}

export function formatFindings(findings: Finding[]): string {
  return table(['model', 'region', 'status', 'finding', 'fix'], findings.map((f) => [f.model, f.region, f.status.toUpperCase(), f.message, f.fix]));
}

export function formatCost(estimate: CostEstimate): string {
  const rows = estimate.lines.map((l) => [l.item, l.detail, l.monthly.toFixed(2)]);
  rows.push(['Total', '', estimate.total.toFixed(2)]);
  return [table(['item', 'what', 'USD / month'], rows), ...estimate.notes].join('\n');
}
