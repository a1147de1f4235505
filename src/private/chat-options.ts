import { Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FrontDoorSettings } from './front-door-settings';
import { taskRange } from './scaling';
import { SIZES } from './sizes';
import { validateEnumValue, validateLogRetention, validateModelList, validateTaskSize } from './validation';
import type { DatabaseOptions } from '../database-options';
import { DeploymentSize } from '../deployment-size';
import { FileStorage } from '../file-storage';
import { FrontDoor } from '../front-door';
import { InternetEgress } from '../internet-egress';
import type { LiteLLMOptions } from '../litellm-service';
import type { NetworkOptions } from '../network-options';
import type { OpenWebUIOptions } from '../open-webui-service';
import type { TaskScaling } from '../service-options';
import { SignIn } from '../sign-in';
import { WebFirewall } from '../web-firewall';

/** The props of `LiteLLMOptions`, which `BedrockImageChat` errors name as `litellm.<prop>`. */
export const LITELLM_OPTIONS = ['image', 'cpu', 'memoryLimitMiB', 'scaling', 'spot', 'providers', 'guardrail'] as const;

/** The props of `OpenWebUIOptions`, which `BedrockImageChat` errors name as `openWebUI.<prop>`. */
export const OPEN_WEBUI_OPTIONS = [
  'image', 'cpu', 'memoryLimitMiB', 'scaling', 'spot', 'imageModel', 'taskModel', 'embeddingModel', 'imageSize',
  'nativeFunctionCalling', 'retrievalQueryGeneration', 'adminEmail', 'modelAccess', 'persistentConfig', 'redisNodeType', 'healthCheckGracePeriod',
  'chatRetention',
] as const;

/** What `BedrockImageChat` checks before it builds anything: its props as the user wrote them. */
export interface ChatPropsInput {
  readonly network?: NetworkOptions;
  readonly frontDoor?: FrontDoor;
  readonly signIn?: SignIn;
  readonly size?: DeploymentSize;
  readonly fileStorage?: FileStorage;
  readonly logRetention?: logs.RetentionDays;
  readonly models?: unknown;
  readonly litellm?: LiteLLMOptions;
  readonly openWebUI?: OpenWebUIOptions;
  readonly database?: DatabaseOptions;
}

/**
 * Checks what TypeScript checks and JavaScript does not (enum values, lists, classes), and the
 * front door; returns the front door's settings (CloudFront by default).
 */
export function checkProps(props: ChatPropsInput): FrontDoorSettings {
  validateEnumValue('network.egress', props.network?.egress, InternetEgress, 'InternetEgress');
  validateEnumValue('size', props.size, DeploymentSize, 'DeploymentSize');
  validateEnumValue('fileStorage', props.fileStorage, FileStorage, 'FileStorage');
  validateLogRetention('logRetention', props.logRetention);
  validateModelList('models', props.models);
  validateInstance('frontDoor', props.frontDoor, FrontDoor, 'FrontDoor.cloudFront(), FrontDoor.loadBalancer({ certificate }) or FrontDoor.plainHttp()');
  validateInstance('signIn', props.signIn, SignIn, 'SignIn.oidc(...), SignIn.google(...) or another SignIn factory');
  const door = (props.frontDoor ?? FrontDoor.cloudFront())._settings;
  validateInstance(`${door.name}: webFirewall`, door.webFirewall, WebFirewall, 'WebFirewall.managedRules() or WebFirewall.fromWebAclArn(arn)');
  if (door.kind === 'loadBalancer' && door.certificate === undefined && door.domainName === undefined) {
    throw new Error(
      'frontDoor is FrontDoor.loadBalancer() without certificate or domainName, so the load balancer could not serve HTTPS; give a certificate (or domainName with hostedZone), '
      + 'use FrontDoor.cloudFront() for HTTPS on a *.cloudfront.net name without a certificate, or FrontDoor.plainHttp() if plain HTTP is what you want',
    );
  }
  if (door.kind === 'plainHttp' && props.signIn !== undefined) {
    throw new Error(
      'signIn is set, but frontDoor is FrontDoor.plainHttp(): the identity provider redirects back to an https:// address only. Use FrontDoor.cloudFront() (the default) or FrontDoor.loadBalancer({ certificate })',
    );
  }
  if (door.allowedCidrs !== undefined) validateCidrs(`${door.name}: allowedCidrs`, door.allowedCidrs);
  return door;
}

/** The web ACL of a front door, as the front door builder takes it. */
export function frontDoorWebAcl(door: FrontDoorSettings): { managedRules?: { rateLimit?: number }; webAclArn?: string } {
  return { managedRules: door.webFirewall?._managedRules, webAclArn: door.webFirewall?._webAclArn };
}

/** The task sizes and counts of both services and the database: the props, else the `size`'s values. */
export interface SizedServices {
  readonly litellm: { cpu: number; memoryLimitMiB: number; scaling: TaskScaling };
  readonly openWebUI: { cpu: number; memoryLimitMiB: number; scaling: TaskScaling; redisNodeType: NonNullable<OpenWebUIOptions['redisNodeType']> };
  readonly database: DatabaseOptions & { instanceType: NonNullable<DatabaseOptions['instanceType']>; multiAz: boolean };
  readonly litellmRange: { minTasks: number; maxTasks: number };
  readonly openWebUIRange: { minTasks: number; maxTasks: number };
}

/**
 * Fills in what the props leave to `size`, and checks the task sizes and counts here, so that an
 * error names the prop as the user wrote it (`openWebUI.scaling`, not the service's `scaling`) and
 * says when a value came from the size.
 */
export function sizeServices(props: ChatPropsInput): SizedServices {
  const sizeName = props.size ?? DeploymentSize.SMALL;
  const size = SIZES[sizeName];
  const defaults = `the ${sizeName} size's`;
  const litellm = props.litellm ?? {};
  const openWebUI = props.openWebUI ?? {};
  const litellmScaling = litellm.scaling ?? { minTasks: size.litellm.minTasks, maxTasks: size.litellm.maxTasks };
  const openWebUIScaling = openWebUI.scaling ?? { minTasks: size.openWebUI.minTasks, maxTasks: size.openWebUI.maxTasks };
  const litellmRange = taskRange('litellm.scaling', litellmScaling);
  const openWebUIRange = taskRange('openWebUI.scaling', openWebUIScaling);
  validateTaskSize('LiteLLMService', litellm.cpu, litellm.memoryLimitMiB, size.litellm, 1024,
    { cpu: 'litellm.cpu', memory: 'litellm.memoryLimitMiB', defaults });
  validateTaskSize('OpenWebUIService', openWebUI.cpu, openWebUI.memoryLimitMiB, size.openWebUI, 2048,
    { cpu: 'openWebUI.cpu', memory: 'openWebUI.memoryLimitMiB', defaults });
  return {
    litellm: { cpu: litellm.cpu ?? size.litellm.cpu, memoryLimitMiB: litellm.memoryLimitMiB ?? size.litellm.memoryLimitMiB, scaling: litellmScaling },
    openWebUI: {
      cpu: openWebUI.cpu ?? size.openWebUI.cpu,
      memoryLimitMiB: openWebUI.memoryLimitMiB ?? size.openWebUI.memoryLimitMiB,
      scaling: openWebUIScaling,
      redisNodeType: openWebUI.redisNodeType ?? size.redisNodeType,
    },
    database: {
      ...props.database,
      instanceType: props.database?.instanceType ?? size.databaseInstanceType,
      multiAz: props.database?.multiAz ?? size.databaseMultiAz,
    },
    litellmRange,
    openWebUIRange,
  };
}

/** Checks a value where a class instance is expected (a JavaScript caller may pass a plain object). */
function validateInstance(prop: string, value: unknown, type: abstract new (...args: never[]) => unknown, examples: string): void {
  if (value === undefined || value instanceof type) return;
  throw new Error(`${prop} is ${JSON.stringify(value)}, which is not a ${type.name}; use ${examples}`);
}

/** Checks allowed ranges: a synth-time list of IPv4 CIDR ranges (each may be a token). */
function validateCidrs(prop: string, cidrs: string[]): void {
  if (Token.isUnresolved(cidrs)) {
    throw new Error(
      `${prop} is a list token (a deploy-time list); the load balancer gets one security group rule per range, so the number of ranges must be known at synth. Pass an array whose items may each be a token, for example [param.valueAsString]`,
    );
  }
  if (!Array.isArray(cidrs) || cidrs.length === 0) {
    throw new Error(`${prop} is ${JSON.stringify(cidrs)}, so nobody could reach the app; list the IPv4 ranges of your users, for example ['203.0.113.0/24']`);
  }
  for (const cidr of cidrs) {
    if (Token.isUnresolved(cidr)) continue;
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!match || match.slice(1, 5).some((o) => Number(o) > 255) || Number(match[5]) > 32) {
      throw new Error(`${prop} contains '${cidr}', which is not an IPv4 CIDR range; use a form like '203.0.113.0/24'`);
    }
  }
}
