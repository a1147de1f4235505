import { Aspects, CfnResource, IAspect, Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * Acknowledges rules of a policy-validation pack (cdk-nag 3's AwsSolutions) on `scope` and
 * everything below it, each with the reason a reviewer reads.
 *
 * The acknowledgement is aws-cdk-lib's acknowledged-rules metadata, the record
 * `Validations.of(scope).acknowledge()` writes and cdk-nag 3 reads; it is written directly because
 * rule ids that name a resource (`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:...]`) hold
 * `::` more than once, which `acknowledge()` refuses. The library does not depend on cdk-nag.
 */
export function acknowledgeRules(scope: IConstruct, rules: Record<string, string>): void {
  scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { ...rules });
}

/**
 * Acknowledges `AwsSolutions-IAM5` (wildcard permissions) for the wildcard actions and resources
 * of one IAM policy, as cdk-nag names them (`Action::s3:List*`, `Resource::<Bucket.Arn>/*`),
 * once the policy's document is final: at synthesis, when its statements are all added.
 *
 * `select` keeps the findings the reason covers; anything else stays reported.
 */
export function acknowledgeWildcards(policy: IConstruct, reason: string, select: (finding: string) => boolean = () => true): void {
  Aspects.of(policy).add(new WildcardAcknowledgement(reason, select));
}

class WildcardAcknowledgement implements IAspect {
  constructor(private readonly reason: string, private readonly select: (finding: string) => boolean) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof iam.CfnPolicy)) return;
    const document = Stack.of(node).resolve(node.policyDocument);
    const findings = new Set<string>();
    for (const statement of document?.Statement ?? []) {
      if (statement.Effect !== 'Allow') continue;
      for (const action of [statement.Action ?? []].flat() as string[]) {
        if (action.includes('*')) findings.add(`Action::${action}`);
      }
      for (const resource of [statement.Resource ?? []].flat().map(flatten)) {
        if (resource.includes('*')) findings.add(`Resource::${resource}`);
      }
    }
    const rules: Record<string, string> = {};
    for (const finding of [...findings].filter(this.select)) {
      rules[`AwsSolutions-IAM5[${finding}]`] = this.reason;
    }
    if (Object.keys(rules).length > 0) acknowledgeRules(node, rules);
  }
}

/** A CloudFormation value as cdk-nag writes it in a rule id: references become `<Name>` and `<Name.Attribute>`. */
function flatten(value: any): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (value?.['Fn::Join'] !== undefined) return value['Fn::Join'][1].map(flatten).join(value['Fn::Join'][0]);
  if (value?.['Fn::Sub'] !== undefined) return flatten(value['Fn::Sub']);
  if (value?.['Fn::GetAtt'] !== undefined) return `<${flatten(value['Fn::GetAtt'][0])}.${flatten(value['Fn::GetAtt'][1])}>`;
  if (value?.['Fn::ImportValue'] !== undefined) return flatten(value['Fn::ImportValue']);
  if (value?.Ref !== undefined) return `<${flatten(value.Ref)}>`;
  return JSON.stringify(value);
}

/** The CloudFormation resource of a construct (its default child), for an acknowledgement scoped to it. */
export function cfnOf(construct: IConstruct): CfnResource {
  return construct.node.defaultChild as CfnResource;
}

/** Why the task definitions set plain environment variables (AwsSolutions-ECS2). */
export const ECS2_REASON =
  'The plain environment holds settings only (addresses, model names, switches); every secret reaches the container as an ECS secret from Secrets Manager, which a test checks.';

/** `ecr:GetAuthorizationToken`, which an execution role needs to pull from ECR, supports no resource but `*`. */
export function acknowledgeExecutionRole(taskDefinition: ecs.TaskDefinition): void {
  // The role's policy is made when the first container or secret needs it: the aspect finds it at synthesis.
  const role = taskDefinition.obtainExecutionRole();
  acknowledgeWildcards(
    role,
    'ecr:GetAuthorizationToken, which the task needs to pull its image from ECR, supports only the resource "*"; every other permission names its repository, log group or secret.',
    (finding) => finding === 'Resource::*',
  );
}

/** Why a Lambda function's role may have the AWS managed AWSLambdaBasicExecutionRole policy (AwsSolutions-IAM4). */
export const LAMBDA_BASIC_EXECUTION_REASON =
  'AWSLambdaBasicExecutionRole grants only logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents, which every Lambda function needs to write its log.';

/** The managed policy finding of AwsSolutions-IAM4 for AWSLambdaBasicExecutionRole. */
export const IAM4_LAMBDA_BASIC_EXECUTION = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/**
 * Acknowledges the findings on a Lambda function that aws-cdk-lib creates and configures itself:
 * its managed logging policy and runtime (`what` names it), and its role's wildcards (`wildcards`
 * is the reason).
 */
export function acknowledgeCdkFunction(functionScope: IConstruct, what: string, wildcards: string): void {
  acknowledgeRules(functionScope, {
    [IAM4_LAMBDA_BASIC_EXECUTION]: LAMBDA_BASIC_EXECUTION_REASON,
    'AwsSolutions-L1': `${what} is a function aws-cdk-lib creates with the runtime it is tested on; it moves to a newer runtime with aws-cdk-lib.`,
  });
  const policy = functionScope.node.tryFindChild('ServiceRole')?.node.tryFindChild('DefaultPolicy');
  if (policy !== undefined) acknowledgeWildcards(policy, wildcards);
}

/**
 * Records checkov checks that do not apply to `resource`, each with its reason, in the resource's
 * CloudFormation metadata (`Metadata.checkov.skip`), where checkov reads them and a reviewer of
 * the template sees them.
 */
export function skipCheckov(resource: IConstruct | undefined, skips: Record<string, string>): void {
  if (resource === undefined) return;
  const cfn = CfnResource.isCfnResource(resource) ? resource : (resource.node.defaultChild as CfnResource | undefined);
  if (cfn === undefined) return;
  const existing: { id: string; comment: string }[] = cfn.getMetadata('checkov')?.skip ?? [];
  const merged = [...existing.filter((s) => !(s.id in skips)), ...Object.entries(skips).map(([id, comment]) => ({ id, comment }))];
  cfn.addMetadata('checkov', { skip: merged.sort((a, b) => a.id.localeCompare(b.id)) });
}

/** Lambda functions that run only while CloudFormation deploys (custom resource handlers). */
export const DEPLOY_TIME_FUNCTION_SKIPS: Record<string, string> = {
  CKV_AWS_115: 'A custom resource handler that runs only during deployments: CloudFormation calls it a few times per deploy, so reserved concurrency would only add a failure mode.',
  CKV_AWS_116: 'A custom resource handler: CloudFormation waits for its answer and reports a failure itself, so a dead-letter queue would receive nothing actionable.',
  CKV_AWS_117: 'A custom resource handler that calls only AWS APIs (or, for the image copy, the public registry) while CloudFormation deploys; it holds no data and needs no VPC.',
};

/** Why log groups, secrets and repositories use AWS-managed rather than customer-managed keys (checkov). */
export const AWS_MANAGED_KEY_REASON =
  'Encrypted at rest with an AWS-managed key. A customer-managed KMS key adds a monthly cost and a key policy to maintain; the library leaves that choice to the platform team.';
