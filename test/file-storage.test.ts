import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BedrockImageChat, BedrockImageChatProps, FileStorage } from '../src';
import { containers, envOf, logicalId, newStack } from './util';

const ENV = { env: { account: '111111111111', region: 'us-west-2' } };

function synth(props: BedrockImageChatProps = {}): { chat: BedrockImageChat; template: Template } {
  const stack = newStack(ENV);
  const chat = new BedrockImageChat(stack, 'Chat', props);
  return { chat, template: Template.fromStack(stack) };
}

describe('files in S3', () => {
  const { chat, template } = synth({ fileStorage: FileStorage.S3 });
  const webui = () => containers(template)['open-webui'];
  const bucket = () => logicalId(template, 'AWS::S3::Bucket', 'ChatOpenWebUIFiles');

  test('an encrypted, private, versioned bucket, TLS only, kept with the data', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket() },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    expect(chat.openWebUI.filesBucket).toBeDefined();
  });

  test('Open WebUI stores files there with the task role (no keys), and mounts no file system', () => {
    expect(envOf(webui())).toMatchObject({ STORAGE_PROVIDER: 's3', S3_BUCKET_NAME: { Ref: bucket() }, S3_REGION_NAME: 'us-west-2' });
    expect(envOf(webui())).not.toHaveProperty('S3_ACCESS_KEY_ID');
    expect(webui().MountPoints).toBeUndefined();
    template.resourceCountIs('AWS::EFS::FileSystem', 0);
    expect(chat.openWebUI.fileSystem).toBeUndefined();
  });

  test('the task role may read, write and delete objects of that bucket only', () => {
    const role = logicalId(template, 'AWS::IAM::Role', 'ChatOpenWebUITaskDefinitionTaskRole');
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === role))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const s3Statements = statements.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('s3:')));
    expect(s3Statements.length).toBeGreaterThan(0);
    for (const s of s3Statements) expect(JSON.stringify(s.Resource)).toContain(bucket());
    expect(s3Statements.flatMap((s: any) => [s.Action].flat()).sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
  });

  test('the backup plan covers the database and the bucket', () => {
    const resources = JSON.stringify(Object.values(template.findResources('AWS::Backup::BackupSelection'))[0].Properties.BackupSelection.Resources);
    expect(resources).toContain(bucket());
    expect(resources).toContain(logicalId(template, 'AWS::RDS::DBInstance', 'ChatOpenWebUIDatabase'));
  });
});

test('with RemovalPolicy.DESTROY the bucket and its files go with the stack', () => {
  const { template } = synth({ fileStorage: FileStorage.S3, removalPolicy: RemovalPolicy.DESTROY });
  template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ Tags: Match.arrayWith([{ Key: 'aws-cdk:auto-delete-objects', Value: 'true' }]) }) });
});

test('EFS stays the default', () => {
  const { template } = synth();
  template.resourceCountIs('AWS::EFS::FileSystem', 1);
  expect(envOf(containers(template)['open-webui'])).not.toHaveProperty('STORAGE_PROVIDER');
});
