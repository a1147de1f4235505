import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BedrockImageChat, BedrockImageChatProps, FileStorage } from '../src';
import { newStack } from './util';
import { RETENTION_CONTAINER, RETENTION_DAYS_VARIABLE, RETENTION_SCRIPT } from '../src/private/chat-retention';

const ENV = { env: { account: '111111111111', region: 'us-west-2' } };

function synth(props: BedrockImageChatProps): Template {
  const stack = newStack(ENV);
  new BedrockImageChat(stack, 'Chat', props);
  return Template.fromStack(stack);
}

/** The container definitions of every task definition, by container name. */
function containerDefinitions(template: Template): Record<string, any> {
  const out: Record<string, any> = {};
  for (const td of Object.values<any>(template.findResources('AWS::ECS::TaskDefinition'))) {
    for (const c of td.Properties.ContainerDefinitions) out[c.Name] = { ...c, task: td.Properties };
  }
  return out;
}

describe('openWebUI.chatRetention', () => {
  const template = synth({ openWebUI: { chatRetention: Duration.days(90) } });
  const defs = containerDefinitions(template);
  const retention = defs[RETENTION_CONTAINER];
  const webui = defs['open-webui'];

  test('a daily schedule runs the retention task in the service\'s subnets and security groups', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 3 * * ? *)',
      Target: {
        EcsParameters: {
          LaunchType: 'FARGATE',
          TaskDefinitionArn: { Ref: Match.stringLikeRegexp('^ChatOpenWebUIChatRetentionTask') },
          NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', SecurityGroups: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ChatOpenWebUIServiceSecurityGroup'), 'GroupId'] }] } },
        },
        RetryPolicy: { MaximumRetryAttempts: 2 },
      },
    });
  });

  test('it runs Open WebUI\'s image with the service\'s settings, secrets and roles, and the retention in days', () => {
    expect(retention.Command).toEqual(['python', '-c', RETENTION_SCRIPT]);
    expect(retention.Image).toEqual(webui.Image);
    const env = (c: any) => Object.fromEntries(c.Environment.map((e: any) => [e.Name, e.Value]));
    expect(env(retention)).toEqual({ ...env(webui), [RETENTION_DAYS_VARIABLE]: '90' });
    expect(retention.Secrets).toEqual(webui.Secrets);
    expect(retention.task.TaskRoleArn).toEqual(webui.task.TaskRoleArn);
    expect(retention.task.ExecutionRoleArn).toEqual(webui.task.ExecutionRoleArn);
    expect(retention.MountPoints).toEqual(webui.MountPoints);
    expect(retention.task.Volumes).toEqual(webui.task.Volumes);
  });

  test('the script reads the days from its variable, and goes through Open WebUI\'s own code, not SQL', () => {
    expect(RETENTION_SCRIPT).toContain(`os.environ["${RETENTION_DAYS_VARIABLE}"]`);
    expect(RETENTION_SCRIPT).toContain('Chats.delete_chat_by_id(chat.id)');
    expect(RETENTION_SCRIPT).not.toMatch(/\b(DELETE FROM|SELECT|psycopg|sqlalchemy)\b/i);
  });

  test('with files in S3, the retention task has no volume and the role may delete the files', () => {
    const s3 = containerDefinitions(synth({ fileStorage: FileStorage.S3, openWebUI: { chatRetention: Duration.days(30) } }));
    expect(s3[RETENTION_CONTAINER].MountPoints ?? []).toEqual([]);
    expect(s3[RETENTION_CONTAINER].task.TaskRoleArn).toEqual(s3['open-webui'].task.TaskRoleArn);
  });

  test('without it there is no schedule and no retention task', () => {
    const plain = synth({});
    plain.resourceCountIs('AWS::Scheduler::Schedule', 0);
    expect(containerDefinitions(plain)[RETENTION_CONTAINER]).toBeUndefined();
  });

  test.each([
    [Duration.hours(12), /^openWebUI\.chatRetention is 12 hours; give whole days, at least Duration\.days\(1\)/],
    [Duration.hours(36), /^openWebUI\.chatRetention is 1 day 12 hours; give whole days/],
    [Duration.days(0), /^openWebUI\.chatRetention is 0 days?; give whole days, at least Duration\.days\(1\)/],
  ])('%s is refused', (retentionValue, error) => {
    expect(() => synth({ openWebUI: { chatRetention: retentionValue } })).toThrow(error);
  });
});
