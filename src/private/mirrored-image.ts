import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DockerImageName, ECRDeployment } from 'cdk-ecr-deployment';
import { Construct, IDependable } from 'constructs';
import { acknowledgeRules, acknowledgeWildcards, DEPLOY_TIME_FUNCTION_SKIPS, IAM4_LAMBDA_BASIC_EXECUTION, LAMBDA_BASIC_EXECUTION_REASON, skipCheckov } from './acknowledgements';

/** An upstream image copied into a private ECR repository of the deploying account. */
export interface MirroredImage {
  /** The image for the task definition (the ECR copy). */
  readonly image: ecs.ContainerImage;
  /** The repository the copy lives in. */
  readonly repository: ecr.IRepository;
  /** The copy step; tasks must start only after it. */
  readonly copy: IDependable;
}

/**
 * Copies `source` (a public image reference such as `ghcr.io/berriai/litellm:v1.110.2`)
 * into a new private ECR repository at deploy time, for one CPU architecture.
 *
 * The copy runs in a Lambda function outside the VPC (cdk-ecr-deployment), so the VPC itself
 * needs no internet egress; the tasks pull the copy through the ECR and S3 endpoints.
 */
export function mirrorImage(scope: Construct, id: string, source: string, architecture: ecs.CpuArchitecture): MirroredImage {
  const tag = source.substring(source.lastIndexOf(':') + 1);
  const repository = new ecr.Repository(scope, `${id}Repository`, {
    imageScanOnPush: true,
    encryption: ecr.RepositoryEncryption.AES_256,
    // The repository holds a copy of a public image, which the next deploy copies again.
    removalPolicy: RemovalPolicy.DESTROY,
    emptyOnDelete: true,
  });
  const role = imageCopyRole(scope);
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: COPY_ACTIONS, resources: [repository.repositoryArn] }));
  const copy = new ECRDeployment(scope, `${id}Copy`, {
    src: new DockerImageName(source),
    dest: new DockerImageName(`${repository.repositoryUri}:${tag}`),
    imageArch: [architecture === ecs.CpuArchitecture.ARM64 ? 'arm64' : 'amd64'],
    // cdk-ecr-deployment would grant its function ECR push on every repository ("*"). The function
    // gets the library's own role instead, which may push only to the repositories of this stack's
    // copies; imported as immutable, cdk-ecr-deployment's own grants are not added to it. Its own
    // memory size keeps this function apart from other cdk-ecr-deployment functions of the stack.
    role: iam.Role.fromRoleArn(scope, `${id}CopyRole`, role.roleArn, { mutable: false }),
    memoryLimit: COPY_MEMORY_MIB,
  });
  // The grants must be in place before the copy runs.
  copy.node.addDependency(role);
  skipCheckov(repository, {
    CKV_AWS_136: 'Encrypted at rest with AES-256 (ECR-managed keys): the repository holds a copy of a public image.',
    CKV_AWS_51: 'The copy step pushes the pinned tag and may push it again when the copy is replaced; a new release has a new tag, and tasks pull by that tag.',
  });
  skipCheckov(Stack.of(scope).node.tryFindChild(`Custom::CDKECRDeploymentbd07c930edb94112a20f03f096f53666${COPY_MEMORY_MIB}MiB`), DEPLOY_TIME_FUNCTION_SKIPS);
  return { image: ecs.ContainerImage.fromEcrRepository(repository, tag), repository, copy };
}

/** The ECR actions cdk-ecr-deployment's copy function uses on a destination repository. */
const COPY_ACTIONS = [
  'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:GetRepositoryPolicy', 'ecr:DescribeRepositories',
  'ecr:ListImages', 'ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:ListTagsForResource', 'ecr:DescribeImageScanFindings',
  'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage',
];

/** The memory of the copy function: large images copy faster, and it sets this function apart from other cdk-ecr-deployment functions. */
const COPY_MEMORY_MIB = 1024;

/** The role of the image-copy function, one per stack: logs, an ECR token, and push to each repository it is given. */
function imageCopyRole(scope: Construct): iam.Role {
  const stack = Stack.of(scope);
  const id = 'BedrockImageChatImageCopyRole';
  const existing = stack.node.tryFindChild(id);
  if (existing instanceof iam.Role) return existing;
  const role = new iam.Role(stack, id, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'Copies the pinned container images of cdk-bedrock-image-chat into this stack\'s ECR repositories',
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
  });
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
  acknowledgeRules(role, { [IAM4_LAMBDA_BASIC_EXECUTION]: LAMBDA_BASIC_EXECUTION_REASON });
  acknowledgeWildcards(
    role.node.findChild('DefaultPolicy'),
    'ecr:GetAuthorizationToken supports only the resource "*"; pushing is allowed on the repositories of this stack\'s image copies only.',
    (finding) => finding === 'Resource::*',
  );
  return role;
}

/**
 * Whether a container image name points at a registry outside the account's private ECR (Docker
 * Hub, ghcr.io, ECR Public...). Unknown (token) names count as private.
 */
export function isPublicRegistryImage(imageName: string): boolean {
  if (Token.isUnresolved(imageName)) {
    return false;
  }
  return !/^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//.test(imageName);
}

/**
 * The image of a service: the override, or the pinned upstream image copied into ECR.
 * Returns the copy step too (tasks must start after it), if there is one.
 */
export function serviceImage(
  scope: Construct,
  override: ecs.ContainerImage | undefined,
  upstream: string,
  architecture: ecs.CpuArchitecture,
): { image: ecs.ContainerImage; copy?: IDependable } {
  if (override !== undefined) {
    return { image: override };
  }
  const mirrored = mirrorImage(scope, 'Image', upstream, architecture);
  return { image: mirrored.image, copy: mirrored.copy };
}

/** Fails when a task with no internet egress would pull its image from a public registry. */
export function checkImageReachable(
  container: ecs.ContainerDefinition, hasEgress: boolean, names: { readonly image: string; readonly egress: string },
): void {
  if (!hasEgress && isPublicRegistryImage(container.imageName)) {
    throw new Error(
      `${names.image} is '${container.imageName}', a public registry, but ${names.egress} is InternetEgress.NONE, so the task cannot pull it; leave ${names.image} unset (the pinned image is copied into ECR), use an image from ECR in this account (ecs.ContainerImage.fromEcrRepository), or choose an egress with internet access`,
    );
  }
}
