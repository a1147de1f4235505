import * as fs from 'fs';
import * as path from 'path';
import { CONFIGURATIONS, synthesize } from './configurations';

/**
 * No plaintext secrets: secret values, secret ARNs and dynamic references appear only where they
 * belong (ECS secrets, the execution roles that read them, the secret-prefix custom resource and
 * the two documented outputs), and each execution role reads only the secrets of its containers.
 */
const SECRET_TYPES = ['AWS::SecretsManager::Secret', 'AWS::SecretsManager::SecretTargetAttachment'];

interface Synthesized {
  readonly resources: Record<string, any>;
  readonly outputs: Record<string, any>;
  readonly parameters: Record<string, any>;
  readonly assetDir: string;
}

const synthesized = new Map<string, Synthesized>();
function template(name: string): Synthesized {
  if (!synthesized.has(name)) {
    const { app, stack } = synthesize(name);
    const assembly = app.synth();
    const file = path.join(assembly.directory, stack.templateFile);
    const t = JSON.parse(fs.readFileSync(file, 'utf-8'));
    synthesized.set(name, { resources: t.Resources, outputs: t.Outputs ?? {}, parameters: t.Parameters ?? {}, assetDir: assembly.directory });
  }
  return synthesized.get(name)!;
}

/** The secrets (logical ids) a value refers to, and whether it holds a dynamic reference. */
function secretReferences(value: any, secrets: Set<string>): string[] {
  const found: string[] = [];
  const visit = (v: any) => {
    if (typeof v === 'string') {
      if (v.includes('{{resolve:secretsmanager')) found.push('dynamic reference');
      return;
    }
    if (Array.isArray(v)) return v.forEach(visit);
    if (v && typeof v === 'object') {
      if (typeof v.Ref === 'string' && secrets.has(v.Ref)) found.push(v.Ref);
      if (Array.isArray(v['Fn::GetAtt']) && secrets.has(v['Fn::GetAtt'][0])) found.push(v['Fn::GetAtt'][0]);
      Object.values(v).forEach(visit);
    }
  };
  visit(value);
  return found;
}

describe.each(Object.keys(CONFIGURATIONS))('the %s configuration', (name) => {
  const t = () => template(name);
  const secrets = () => new Set(Object.entries(t().resources).filter(([, r]) => SECRET_TYPES.includes(r.Type)).map(([id]) => id));
  const containers = () => Object.entries(t().resources)
    .filter(([, r]) => r.Type === 'AWS::ECS::TaskDefinition')
    .flatMap(([id, r]) => r.Properties.ContainerDefinitions.map((c: any) => ({
      taskDefinition: id, role: r.Properties.ExecutionRoleArn, container: c,
    })));

  test('container environments, Lambda environments and parameters hold no secret', () => {
    const leaks: string[] = [];
    for (const { container } of containers()) {
      leaks.push(...secretReferences(container.Environment ?? [], secrets()).map((s) => `${container.Name} environment: ${s}`));
    }
    for (const [id, r] of Object.entries(t().resources).filter(([, x]) => x.Type === 'AWS::Lambda::Function')) {
      leaks.push(...secretReferences(r.Properties.Environment ?? {}, secrets()).map((s) => `${id} environment: ${s}`));
    }
    leaks.push(...secretReferences(t().parameters, secrets()).map((s) => `parameters: ${s}`));
    expect(leaks).toEqual([]);
  });

  test('every container secret comes from Secrets Manager as an ECS secret', () => {
    for (const { container } of containers()) {
      for (const secret of container.Secrets ?? []) {
        expect([container.Name, secret.Name, secretReferences(secret.ValueFrom, secrets()).length]).toEqual([container.Name, secret.Name, 1]);
      }
    }
  });

  test('each execution role reads exactly the secrets of its own containers', () => {
    const roles = new Map(containers().map((c) => [c.taskDefinition, c.role['Fn::GetAtt'][0] as string]));
    for (const [taskDefinition, role] of roles) {
      const own = containers().filter((c) => c.taskDefinition === taskDefinition);
      const needed = new Set(own.flatMap((c) => secretReferences(c.container.Secrets ?? [], secrets())));
      const readable = new Set(Object.values(t().resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: any) => x.Ref === role))
        .flatMap((r) => r.Properties.PolicyDocument.Statement.filter((s: any) => [s.Action].flat().includes('secretsmanager:GetSecretValue')))
        .flatMap((s) => secretReferences(s.Resource, secrets())));
      expect([taskDefinition, [...readable].sort()]).toEqual([taskDefinition, [...needed].sort()]);
    }
  });

  test('secret ARNs appear elsewhere only in the secret-prefix custom resource, its function\'s role, Redis\'s AUTH token and the documented outputs', () => {
    const allowedTypes = [
      'AWS::ECS::TaskDefinition', 'AWS::IAM::Policy', 'Custom::SecretPrefix', 'AWS::SecretsManager::SecretTargetAttachment', 'AWS::RDS::DBInstance',
    ];
    // ElastiCache takes its AUTH token as a property: a dynamic reference that CloudFormation
    // resolves at deploy time, so the template holds only the secret's name.
    const withoutAuthToken = (r: any) => (r.Type === 'AWS::ElastiCache::ReplicationGroup' ? { ...r.Properties, AuthToken: undefined } : r.Properties ?? {});
    for (const r of Object.values(t().resources).filter((x) => x.Type === 'AWS::ElastiCache::ReplicationGroup')) {
      expect(secretReferences(r.Properties.AuthToken, secrets())).toContain('dynamic reference');
    }
    const elsewhere = Object.entries(t().resources)
      .filter(([, r]) => !allowedTypes.includes(r.Type))
      .flatMap(([id, r]) => secretReferences(withoutAuthToken(r), secrets()).map((s) => `${id} (${r.Type}): ${s}`));
    expect(elsewhere).toEqual([]);
    const outputs = Object.entries(t().outputs).filter(([, o]) => secretReferences(o.Value, secrets()).length > 0).map(([id]) => id.replace(/[0-9A-F]{8}$/, ''));
    expect(outputs.every((id) => /(AdminCredentialsSecretArn|LiteLLMMasterKeySecretArn)$/.test(id))).toBe(true);
  });

  test('the staged assets (the proxy configuration among them) hold no key or dynamic reference', () => {
    const offending: string[] = [];
    let configurations = 0;
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {walk(file);} else if (entry.name.endsWith('.json') && !entry.name.endsWith('.template.json') && fs.statSync(file).size < 1_000_000) {
          const text = fs.readFileSync(file, 'utf-8');
          if (text.includes('"model_list"')) configurations++;
          if (/\{\{resolve:secretsmanager|"sk-[A-Za-z0-9]{8,}/.test(text)) offending.push(path.relative(t().assetDir, file));
          if (text.includes('"master_key"') && !text.includes('"master_key":"os.environ/LITELLM_MASTER_KEY"')) offending.push(`${path.relative(t().assetDir, file)}: master_key`);
        }
      }
    };
    const assets = fs.readdirSync(t().assetDir).filter((d) => d.startsWith('asset.'));
    assets.forEach((d) => fs.statSync(path.join(t().assetDir, d)).isDirectory() && walk(path.join(t().assetDir, d)));
    expect(configurations).toBe(1);
    expect(offending).toEqual([]);
  });
});
