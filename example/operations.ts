// An example app with every operations feature: the MEDIUM size (autoscaling, Redis, Multi-AZ),
// Fargate Spot for both services, closed outside working hours, alarms mailed to the operators, the dashboard, and backups kept
// 14 days with a copy into a vault in another region. test/operations.test.ts checks it.
import { App, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import { BedrockImageChat, DeploymentSize } from '../src';

export function buildOperationsStack(app: App): Stack {
  const stack = new Stack(app, 'ChatOperations', { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: 'us-west-2' } });
  new BedrockImageChat(stack, 'Chat', {
    size: DeploymentSize.MEDIUM,
    offHours: { stop: { hour: '20', minute: '0', weekDay: 'MON-FRI' }, start: { hour: '7', minute: '0', weekDay: 'MON-FRI' }, timeZone: TimeZone.EUROPE_LISBON },
    monitoring: { alarmEmail: 'chat-ops@example.com' },
    backup: {
      retention: Duration.days(14),
      // A vault you created in the disaster-recovery region.
      copyToVault: backup.BackupVault.fromBackupVaultArn(stack, 'DrVault', 'arn:aws:backup:us-east-2:111122223333:backup-vault:chat-dr'),
    },
    litellm: { spot: true },
    openWebUI: { spot: true },
  });
  return stack;
}
