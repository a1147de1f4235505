import { stagedLiteLLMConfig } from '../src/cli/doctor';

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
}

interface Template {
  readonly Resources?: Record<string, Resource>;
  readonly Outputs?: Record<string, { Description?: string }>;
}

/**
 * A short, human-readable summary of a synthesized template: resources by type, outputs,
 * container images and the Bedrock models LiteLLM serves.
 *
 * @param template the synthesized template
 * @param outdir the cloud assembly directory, where the LiteLLM configuration is staged as an asset
 */
export function summarize(template: Template, outdir: string): string {
  const resources = Object.values(template.Resources ?? {});
  const byType = new Map<string, number>();
  for (const r of resources) byType.set(r.Type, (byType.get(r.Type) ?? 0) + 1);

  const lines: string[] = [`${resources.length} resources`, '', 'Resources by type:'];
  for (const [type, count] of [...byType.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    lines.push(`  ${String(count).padStart(3)}  ${type}`);
  }

  lines.push('', 'Outputs:');
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    lines.push(`  ${name}: ${output.Description ?? ''}`);
  }

  const containers = resources
    .filter((r) => r.Type === 'AWS::ECS::TaskDefinition')
    .flatMap((r) => (r.Properties?.ContainerDefinitions ?? []) as Array<Record<string, any>>);
  // An image copied into ECR at deploy time is named by its repository; show where it comes from.
  const copies = resources.filter((r) => r.Type === 'Custom::CDKECRDeployment').map((r) => r.Properties ?? {});
  lines.push('', 'Container images:');
  for (const c of containers) {
    const image = JSON.stringify(c.Image);
    const copy = copies.find((p) => {
      const repository = /"Ref":"([A-Za-z0-9]+ImageRepository[A-Za-z0-9]+)"/.exec(image)?.[1];
      return repository !== undefined && JSON.stringify(p.DestImage).includes(`"Ref":"${repository}"`);
    });
    const source = copy ? `ECR repository in this account, copied at deploy time from ${String(copy.SrcImage).replace('docker://', '')}` : image;
    lines.push(`  ${c.Name}: ${typeof c.Image === 'string' ? c.Image : source}`);
  }

  lines.push('', 'Bedrock models served by LiteLLM (model_name -> model):');
  const config = stagedLiteLLMConfig(template, outdir);
  for (const m of config?.model_list ?? []) {
    const region = m.litellm_params.aws_region_name ? ` in ${m.litellm_params.aws_region_name}` : " in the stack's region";
    const modelId = m.litellm_params.model_id ? ` as ${m.litellm_params.model_id}` : '';
    lines.push(`  ${m.model_name} -> ${m.litellm_params.model}${modelId}${region} (${m.model_info.mode})`);
  }
  lines.push('', 'Open WebUI uses:');
  for (const c of containers) {
    for (const e of (c.Environment ?? []) as Array<{ Name: string; Value: unknown }>) {
      if (['OPENAI_API_CONFIGS', 'IMAGE_GENERATION_MODEL', 'IMAGE_SIZE', 'IMAGES_OPENAI_PARAMS', 'RAG_EMBEDDING_MODEL', 'PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH'].includes(e.Name)) {
        lines.push(`  ${e.Name}=${String(e.Value)}`);
      }
    }
  }
  return lines.join('\n');
}
