import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { DockerImageName, ECRDeployment } from 'cdk-ecr-deployment';
import { Construct, IDependable } from 'constructs';

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
  const copy = new ECRDeployment(scope, `${id}Copy`, {
    src: new DockerImageName(source),
    dest: new DockerImageName(`${repository.repositoryUri}:${tag}`),
    imageArch: [architecture === ecs.CpuArchitecture.ARM64 ? 'arm64' : 'amd64'],
  });
  return { image: ecs.ContainerImage.fromEcrRepository(repository, tag), repository, copy };
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
export function checkImageReachable(container: ecs.ContainerDefinition, hasEgress: boolean): void {
  if (!hasEgress && isPublicRegistryImage(container.imageName)) {
    throw new Error(
      `image is '${container.imageName}', a public registry, but egress is InternetEgress.NONE, so the task cannot pull it; leave image unset (the pinned image is copied into ECR), use an image from ECR in this account (ecs.ContainerImage.fromEcrRepository), or choose an egress with internet access`,
    );
  }
}
