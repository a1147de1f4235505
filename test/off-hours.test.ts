import { TimeZone } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import { BedrockImageChat, BedrockImageChatProps, DeploymentSize, OffHoursSchedule } from '../src';
import { logicalId, newStack } from './util';
import { DEFAULT_OFF_HOURS_MESSAGE } from '../src/private/off-hours';

const ENV = { env: { account: '111111111111', region: 'us-west-2' } };
const WORKDAYS: OffHoursSchedule = {
  stop: { hour: '20', minute: '0', weekDay: 'MON-FRI' },
  start: { hour: '7', minute: '0', weekDay: 'MON-FRI' },
  timeZone: TimeZone.EUROPE_LISBON,
};

function synth(props: BedrockImageChatProps): Template {
  const stack = newStack(ENV);
  new BedrockImageChat(stack, 'Chat', props);
  return Template.fromStack(stack);
}

/** The scheduled actions of the scalable target of the service whose id starts with `prefix`. */
function actionsOf(template: Template, prefix: string): any[] {
  const service = logicalId(template, 'AWS::ECS::Service', prefix);
  const target = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget'))
    .find((t: any) => JSON.stringify(t.Properties.ResourceId).includes(service)) as any;
  return target.Properties.ScheduledActions;
}

describe('closed outside working hours (SMALL, no task at night)', () => {
  const template = synth({ offHours: WORKDAYS });

  test('both services scale to zero at 20:00 and back at 07:00 on workdays, Lisbon time', () => {
    for (const [prefix, range] of [['ChatOpenWebUIService', [1, 1]], ['ChatLiteLLMService', [1, 2]]] as const) {
      expect(actionsOf(template, prefix)).toEqual(expect.arrayContaining([
        { ScheduledActionName: expect.stringContaining('OffHoursStop'), Schedule: 'cron(0 20 ? * MON-FRI *)', Timezone: 'Europe/Lisbon', ScalableTargetAction: { MinCapacity: 0, MaxCapacity: 0 } },
        { ScheduledActionName: expect.stringContaining('OffHoursStart'), Schedule: 'cron(0 7 ? * MON-FRI *)', Timezone: 'Europe/Lisbon', ScalableTargetAction: { MinCapacity: range[0], MaxCapacity: range[1] } },
      ]));
    }
  });

  test('the load balancer answers with the closed page while no task runs, and forwards again at the start', () => {
    const listener = logicalId(template, 'AWS::ElasticLoadBalancingV2::Listener', 'ChatLoadBalancerHttp');
    const targetGroup = logicalId(template, 'AWS::ElasticLoadBalancingV2::TargetGroup', 'ChatLoadBalancerHttpOpenWebUIGroup');
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((r: any) => r.Properties);
    expect(schedules).toHaveLength(2);
    const page = schedules.find((p) => p.ScheduleExpression === 'cron(0 20 ? * MON-FRI *)');
    const open = schedules.find((p) => p.ScheduleExpression === 'cron(0 7 ? * MON-FRI *)');
    for (const p of [page, open]) {
      expect(p.ScheduleExpressionTimezone).toBe('Europe/Lisbon');
      expect(p.Target.Arn).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:::aws-sdk:elasticloadbalancingv2:modifyListener']] });
    }
    expect(JSON.stringify(page.Target.Input)).toContain('fixed-response');
    expect(JSON.stringify(page.Target.Input)).toContain('The chat is closed for now');
    expect(JSON.stringify(page.Target.Input)).toContain(listener);
    expect(JSON.stringify(open.Target.Input)).toContain(targetGroup);
    expect(JSON.stringify(open.Target.Input)).toContain('\\"Type\\":\\"forward\\"');
  });

  test('the scheduler may modify this listener and nothing else', () => {
    const listener = logicalId(template, 'AWS::ElasticLoadBalancingV2::Listener', 'ChatLoadBalancerHttp');
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => [s.Action].flat().includes('elasticloadbalancing:ModifyListener'));
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) expect(s.Resource).toEqual({ Ref: listener });
  });

  test('the page fits the fixed response', () => {
    expect(DEFAULT_OFF_HOURS_MESSAGE.length).toBeLessThanOrEqual(1024);
  });
});

test('one task at night: both services keep one task, no page switching', () => {
  const template = synth({ size: DeploymentSize.MEDIUM, offHours: { ...WORKDAYS, keepOneTask: true } });
  expect(actionsOf(template, 'ChatOpenWebUIService')).toEqual(expect.arrayContaining([
    expect.objectContaining({ ScalableTargetAction: { MinCapacity: 1, MaxCapacity: 1 } }),
    expect.objectContaining({ ScalableTargetAction: { MinCapacity: 2, MaxCapacity: 6 } }),
  ]));
  template.resourceCountIs('AWS::Scheduler::Schedule', 0);
});

test('around the clock by default', () => {
  const template = synth({});
  template.resourceCountIs('AWS::Scheduler::Schedule', 0);
  template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ScheduledActions: Match.absent() });
});

test.each<[string, OffHoursSchedule, RegExp]>([
  ['a page too long', { ...WORKDAYS, message: 'x'.repeat(1025) }, /^offHours.message has 1025 characters; the load balancer's fixed response holds at most 1024/],
  ['a page that is never shown', { ...WORKDAYS, keepOneTask: true, message: 'closed' }, /^offHours.message is set, but offHours.keepOneTask is true/],
])('refuses %s', (_name, offHours, message) => {
  expect(() => synth({ offHours })).toThrow(message);
});

describe('the task count the schedule scales is the service\'s', () => {
  test('with a fixed count, taskCount is there after the schedule and takes more schedules', () => {
    const stack = newStack(ENV);
    const chat = new BedrockImageChat(stack, 'Chat', { offHours: WORKDAYS });
    expect(chat.openWebUI.taskCount).toBeDefined();
    chat.openWebUI.taskCount!.scaleOnSchedule('Holiday', { schedule: appscaling.Schedule.cron({ month: '12', day: '25', hour: '0', minute: '0' }), minCapacity: 0, maxCapacity: 0 });
    const template = Template.fromStack(stack);
    expect(actionsOf(template, 'ChatOpenWebUIService').map((a) => a.ScheduledActionName)).toEqual(expect.arrayContaining([expect.stringContaining('Holiday'), expect.stringContaining('OffHoursStop')]));
    // One scalable target per service: the schedule and the user's policy share it.
    expect(Object.keys(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget'))).toHaveLength(2);
  });

  test('without a schedule, a fixed count has no scaling, so autoScaleTaskCount stays open to the user', () => {
    const stack = newStack(ENV);
    const chat = new BedrockImageChat(stack, 'Chat');
    expect(chat.openWebUI.taskCount).toBeUndefined();
    expect(() => chat.openWebUI.service.autoScaleTaskCount({ maxCapacity: 3 })).not.toThrow();
  });
});
