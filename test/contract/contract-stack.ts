import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { BedrockGuardrail, BedrockImageChat, BedrockModel, BedrockModelKind, DeploymentSize, FileStorage, FrontDoor, InternetEgress, ModelAccess, SignIn } from '../../src';

/** The ARN the contract stack's Provisioned Throughput parameter resolves to. */
export const PROVISIONED_MODEL_ARN = 'arn:aws:bedrock:us-east-1:111122223333:provisioned-model/contract0test';

/** The id and version the harness gives a deployed guardrail. */
export const GUARDRAIL_ID = 'gr0contract1';
export const GUARDRAIL_VERSION = '7';

/** The region the task runs in (the value of `AWS::Region`). */
export const TASK_REGION = 'us-east-1';

/**
 * The image size the contract deployment asks for: not the default, so that a test can tell the
 * configured size from a fallback (Stability models get it as the aspect ratio 16:9).
 */
export const CONTRACT_IMAGE_SIZE = '1024x576';

/** Every model of the catalog (the public static `BedrockModel` fields). */
export function catalogModels(): BedrockModel[] {
  return Object.values(BedrockModel).filter((v): v is BedrockModel => v instanceof BedrockModel);
}

/** A synthesized deployment whose LiteLLM serves every catalog model plus one given by a deploy-time ARN. */
export interface ContractDeployment {
  readonly template: any;
  readonly assemblyDir: string;
  readonly models: BedrockModel[];
  /** The model given by a CloudFormation parameter (a token at synth time). */
  readonly provisioned: BedrockModel;
  /** Values for the `Ref`s in the LiteLLM container definition. */
  readonly refs: Record<string, string>;
}

/**
 * Synthesizes `BedrockImageChat` with every catalog model and a Provisioned Throughput model
 * whose ARN is a CloudFormation parameter.
 *
 * The stack is environment-agnostic so that one deployment can hold models of every region
 * (Nova Canvas is not served where Stability is); the harness gives `AWS::Region` a value.
 */
export interface ContractDeploymentOptions {
  readonly signIn?: (stack: Stack) => SignIn;
  readonly size?: DeploymentSize;
  readonly fileStorage?: FileStorage;
  readonly modelAccess?: ModelAccess[];
  readonly persistentConfig?: boolean;
  readonly chatRetention?: Duration;
  /** A guardrail for the proxy; its id and version resolve to `GUARDRAIL_ID` and `GUARDRAIL_VERSION`. */
  readonly guardrail?: BedrockGuardrail;
}

export function synthContractDeployment(options: ContractDeploymentOptions = {}): ContractDeployment {
  const assemblyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-cdk-out-'));
  const app = new App({ outdir: assemblyDir });
  const stack = new Stack(app, 'Contract');
  const provisioned = BedrockModel.provisionedThroughput({
    provisionedModelArn: new CfnParameter(stack, 'ProvisionedModelArn').valueAsString,
    baseModelId: 'amazon.nova-lite-v1:0',
    kind: BedrockModelKind.CHAT,
    displayName: 'nova-lite-provisioned',
  });
  const models = [...catalogModels(), provisioned];
  // With a certificate, as a production deployment: HTTPS URL, secure cookies.
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Certificate', 'arn:aws:acm:us-east-1:111122223333:certificate/contract');
  // Sign-in through an identity provider needs internet egress (the provider is on the internet).
  const signIn = options.signIn?.(stack);
  new BedrockImageChat(stack, 'Chat', {
    models,
    ...(signIn ? { signIn, network: { egress: InternetEgress.NAT_GATEWAY } } : {}),
    size: options.size,
    fileStorage: options.fileStorage,
    openWebUI: {
      imageModel: BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1,
      imageSize: CONTRACT_IMAGE_SIZE,
      modelAccess: options.modelAccess,
      persistentConfig: options.persistentConfig,
      chatRetention: options.chatRetention,
    },
    frontDoor: FrontDoor.loadBalancer({ certificate }),
    ...(options.guardrail ? { litellm: { guardrail: options.guardrail } } : {}),
  });
  const assembly = app.synth();
  const template = assembly.getStackByName('Contract').template;

  const refs: Record<string, string> = { 'AWS::Region': TASK_REGION, 'ProvisionedModelArn': PROVISIONED_MODEL_ARN };
  for (const [id, resource] of Object.entries<any>(template.Resources)) {
    if (resource.Type === 'AWS::S3::Bucket') refs[id] = `contract-${id.toLowerCase()}`;
    if (resource.Type === 'AWS::Bedrock::Guardrail') refs[`${id}.GuardrailId`] = GUARDRAIL_ID;
    if (resource.Type === 'AWS::Bedrock::GuardrailVersion') refs[`${id}.Version`] = GUARDRAIL_VERSION;
  }
  return { template, assemblyDir, models, provisioned, refs };
}
