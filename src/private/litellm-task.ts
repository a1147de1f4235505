import { createHash } from 'crypto';
import { Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IDependable } from 'constructs';
import { acknowledgeWildcards } from './acknowledgements';
import { MASTER_KEY_ENV, providerKeyEnv, renderLiteLLMConfig } from './litellm-config';
import { createConfigStore, createMasterKey } from './litellm-store';
import { addServiceContainer, ServiceTask } from './service-task';
import type { BedrockGuardrailConfig } from '../bedrock-guardrail';
import type { BedrockModel } from '../bedrock-model';
import type { OpenAICompatibleProvider } from '../model-provider';

/** The port LiteLLM listens on. */
export const LITELLM_PORT = 4000;

/** What the proxy serves. */
export interface LiteLLMTaskInput {
  readonly models: BedrockModel[];
  readonly providers: OpenAICompatibleProvider[];
  readonly hasEgress: boolean;
  /** The guardrail the proxy applies, bound. */
  readonly guardrail?: BedrockGuardrailConfig;
}

/** What the proxy's container needs besides its task. */
export interface LiteLLMContainer {
  readonly masterKey: secretsmanager.ISecret;
  readonly configBucket: s3.IBucket;
  readonly configObjectKey: string;
  /** What must exist before a task starts: the configuration document and a valid master key. */
  readonly startsAfter: IDependable[];
}

/**
 * Adds LiteLLM's container to the task: its configuration rendered from the models and staged in
 * S3 under a content-hashed key, the master key and the providers' keys as ECS secrets, the
 * liveliness health check, and the task role's permissions (read the configuration, invoke
 * exactly the served models).
 */
export function addLiteLLMContainer(scope: Construct, task: ServiceTask, input: LiteLLMTaskInput): LiteLLMContainer {
  const { config, environment: modelEnvironment } = renderLiteLLMConfig(input.models, input.providers, input.guardrail);
  const configHash = createHash('sha256').update(JSON.stringify(config)).digest('hex').substring(0, 16);
  const store = createConfigStore(scope, config, `litellm/config-${configHash}.json`);
  const { masterKey, keyPrefix } = createMasterKey(scope);
  const region = Stack.of(scope).region;

  addServiceContainer(task, 'litellm', input.hasEgress, {
    // Keep the image's entrypoint (docker/prod_entrypoint.sh); the command replaces its CMD, so
    // the port is repeated here. One worker, said outright: a task is one Python process and the
    // service adds tasks (LiteLLM's own advice; bench:capacity measured a task with more vCPUs,
    // held to the same CPU, serving about as many users).
    command: ['--port', String(LITELLM_PORT), '--num_workers', '1'],
    portMappings: [{ containerPort: LITELLM_PORT, name: 'litellm' }],
    environment: {
      LITELLM_CONFIG_BUCKET_NAME: store.bucket.bucketName,
      LITELLM_CONFIG_BUCKET_OBJECT_KEY: store.objectKey,
      // Without it LiteLLM downloads its model price map from GitHub at start.
      LITELLM_LOCAL_MODEL_COST_MAP: 'True',
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      // Deploy-time model values (tokens), which the configuration reads as os.environ/NAME.
      ...modelEnvironment,
    },
    secrets: {
      [MASTER_KEY_ENV]: ecs.Secret.fromSecretsManager(masterKey),
      ...Object.fromEntries(input.providers.map((p, i) => [providerKeyEnv(i), ecs.Secret.fromSecretsManager(p.apiKey)])),
    },
    healthCheck: {
      // The image has Python but neither curl nor wget. /health/liveliness needs no key and calls
      // no model; /health calls every model and needs auth, so it must never be a probe.
      command: [
        'CMD-SHELL',
        `python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${LITELLM_PORT}/health/liveliness', timeout=4)" || exit 1`,
      ],
      interval: Duration.seconds(30),
      timeout: Duration.seconds(5),
      retries: 3,
      startPeriod: Duration.seconds(60),
    },
    readonlyRootFilesystem: false,
  });
  grantProxy(scope, task.taskDefinition, store.bucket, input.models);
  if (input.guardrail !== undefined) {
    task.taskDefinition.addToTaskRolePolicy(
      new iam.PolicyStatement({ sid: 'ApplyTheGuardrail', actions: ['bedrock:ApplyGuardrail'], resources: [input.guardrail.guardrailArn] }),
    );
  }
  return { masterKey, configBucket: store.bucket, configObjectKey: store.objectKey, startsAfter: [store.deployment, keyPrefix] };
}

/**
 * The proxy's permissions: read its configuration documents, invoke exactly its models.
 */
function grantProxy(scope: Construct, taskDefinition: ecs.FargateTaskDefinition, bucket: s3.IBucket, models: BedrockModel[]): void {
  // LiteLLM reads its configuration with one s3:GetObject at start. Every deployment's document
  // stays readable, so that a task started from an earlier task definition (a rollback) starts.
  taskDefinition.addToTaskRolePolicy(
    new iam.PolicyStatement({ sid: 'ReadProxyConfiguration', actions: ['s3:GetObject'], resources: [bucket.arnForObjects('litellm/*')] }),
  );
  acknowledgeWildcards(
    taskDefinition.taskRole.node.findChild('DefaultPolicy'),
    'Read-only access to the configuration documents of this and earlier deployments of the proxy (their keys carry a content hash), in its own bucket.',
    (finding) => finding.startsWith('Resource::') && finding.endsWith('/litellm/*'),
  );
  taskDefinition.addToTaskRolePolicy(
    new iam.PolicyStatement({
      sid: 'InvokeConfiguredBedrockModels',
      actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      resources: [...new Set(models.flatMap((m) => m.invokeResourceArns(scope)))],
    }),
  );
}
