import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import { BedrockImageChat, BedrockImageChatProps } from '../src';
import { logicalId, newStack } from './util';

const ENV = { env: { account: '111111111111', region: 'us-west-2' } };

function synth(props: BedrockImageChatProps = {}): { chat: BedrockImageChat; template: Template } {
  const stack = newStack(ENV);
  const chat = new BedrockImageChat(stack, 'Chat', props);
  return { chat, template: Template.fromStack(stack) };
}

describe('the default AWS Backup plan', () => {
  const { chat, template } = synth();

  test('backs up the database and the file system every day at 03:00 UTC, kept 7 days, in its own vault', () => {
    const vault = logicalId(template, 'AWS::Backup::BackupVault', 'ChatOpenWebUIBackupVault');
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: Match.anyValue(),
        BackupPlanRule: [Match.objectLike({
          RuleName: 'Daily',
          ScheduleExpression: 'cron(0 3 * * ? *)',
          Lifecycle: { DeleteAfterDays: 7 },
          TargetBackupVault: { 'Fn::GetAtt': [vault, 'BackupVaultName'] },
        })],
      },
    });
    const selection = template.findResources('AWS::Backup::BackupSelection');
    const resources = JSON.stringify(Object.values(selection)[0].Properties.BackupSelection.Resources);
    expect(resources).toContain(logicalId(template, 'AWS::RDS::DBInstance', 'ChatOpenWebUIDatabase'));
    expect(resources).toContain(logicalId(template, 'AWS::EFS::FileSystem', 'ChatOpenWebUIFileSystem'));
    expect(chat.openWebUI.backupPlan).toBeDefined();
  });

  test('vault, plan and selection are kept when the stack goes, as the data is', () => {
    for (const type of ['AWS::Backup::BackupVault', 'AWS::Backup::BackupPlan', 'AWS::Backup::BackupSelection']) {
      template.hasResource(type, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  test('the file system leaves AWS Backup\'s default plan, which would back it up a second time', () => {
    template.hasResourceProperties('AWS::EFS::FileSystem', { BackupPolicy: { Status: 'DISABLED' } });
  });
});

test('retention, and a copy into a vault of another region', () => {
  const copy = 'arn:aws:backup:eu-central-1:111111111111:backup-vault:chat-dr';
  const { template } = synth({
    backup: { retention: Duration.days(14), copyToVault: backup.BackupVault.fromBackupVaultArn(new Stack(), 'DrVault', copy), copyRetention: Duration.days(30) },
  });
  template.hasResourceProperties('AWS::Backup::BackupPlan', {
    BackupPlan: Match.objectLike({
      BackupPlanRule: [Match.objectLike({
        Lifecycle: { DeleteAfterDays: 14 },
        CopyActions: [{ DestinationBackupVaultArn: copy, Lifecycle: { DeleteAfterDays: 30 } }],
      })],
    }),
  });
});

test('off: no plan, and the file system stays in AWS Backup\'s default plan', () => {
  const { chat, template } = synth({ backup: { enabled: false } });
  template.resourceCountIs('AWS::Backup::BackupPlan', 0);
  template.hasResourceProperties('AWS::EFS::FileSystem', { BackupPolicy: { Status: 'ENABLED' } });
  expect(chat.openWebUI.backupPlan).toBeUndefined();
});

test('with RemovalPolicy.DESTROY the backups go with the data', () => {
  const { template } = synth({ removalPolicy: RemovalPolicy.DESTROY });
  template.hasResource('AWS::Backup::BackupVault', { DeletionPolicy: 'Delete' });
});

test.each<[string, BedrockImageChatProps, RegExp]>([
  ['less than a day', { backup: { retention: Duration.hours(12) } }, /^backup.retention is 12 hours; AWS Backup keeps recovery points for whole days, 1 or more/],
  ['an ARN string where a vault is expected (JavaScript)', { backup: { copyToVault: 'arn:aws:backup:us-east-2:111111111111:backup-vault:dr' as any } },
    /^backup\.copyToVault is "arn:aws:backup:us-east-2:111111111111:backup-vault:dr", which is not a backup vault; use backup\.BackupVault\.fromBackupVaultArn/],
  ['a copy retention without a copy', { backup: { copyRetention: Duration.days(30) } }, /^backup.copyRetention is set, but backup.copyToVault is not/],
])('refuses %s', (_name, props, message) => {
  expect(() => synth(props)).toThrow(message);
});
