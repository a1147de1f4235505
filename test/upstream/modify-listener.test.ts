/**
 * The off-hours page switch cannot run here (EventBridge Scheduler calls ELBv2's ModifyListener),
 * so its two calls are checked by the AWS SDK itself: botocore's parameter validator (in
 * `.venv-litellm`, from `npx projen litellm:venv`) validates each schedule's input against the
 * ModifyListener request shape of its bundled ELBv2 model, as a client would before sending it.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { TimeZone } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BedrockImageChat } from '../../src';
import { VENV } from '../contract/litellm-proxy';
import { newStack } from '../util';

const LISTENER_ARN = 'arn:aws:elasticloadbalancing:us-west-2:111111111111:listener/app/chat/50dc6c495c0c9188/f2f7dc8efc522ab2';
const TARGET_GROUP_ARN = 'arn:aws:elasticloadbalancing:us-west-2:111111111111:targetgroup/chat/73e2d6bc24d8a067';

/** Runs botocore's validator on `params` for an ELBv2 operation; returns its report ('' when valid). */
function botocoreReport(operation: string, params: unknown): string {
  const script = [
    'import json, sys, botocore.session',
    'from botocore.validate import ParamValidator',
    "model = botocore.session.get_session().get_service_model('elbv2')",
    'shape = model.operation_model(sys.argv[1]).input_shape',
    'print(ParamValidator().validate(json.load(sys.stdin), shape).generate_report())',
  ].join('\n');
  return execFileSync(path.join(VENV, 'bin', 'python'), ['-c', script, operation], { input: JSON.stringify(params) }).toString().trim();
}

/** A shape of botocore's ELBv2 model (validation leaves enums and patterns to the service). */
function modelShape(name: string): any {
  const script = "import json, sys, botocore.session; print(json.dumps(botocore.session.get_session().get_service_model('elbv2')._shape_resolver._shape_map[sys.argv[1]]))";
  return JSON.parse(execFileSync(path.join(VENV, 'bin', 'python'), ['-c', script, name]).toString());
}

/** The schedules' inputs with the listener's and target group's ARNs in place of their references. */
function scheduleInputs(): Record<string, any> {
  const stack = newStack({ env: { account: '111111111111', region: 'us-west-2' } });
  new BedrockImageChat(stack, 'Chat', {
    offHours: { stop: { hour: '20', minute: '0', weekDay: 'MON-FRI' }, start: { hour: '7', minute: '0', weekDay: 'MON-FRI' }, timeZone: TimeZone.EUROPE_LISBON },
  });
  const template = Template.fromStack(stack);
  const schedules = template.findResources('AWS::Scheduler::Schedule');
  const listeners = Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::Listener'));
  const targetGroups = Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'));
  const resolve = (value: any): string => {
    if (typeof value === 'string') return value;
    if (value.Ref === 'AWS::Partition') return 'aws';
    if (listeners.includes(value.Ref)) return LISTENER_ARN;
    if (targetGroups.includes(value.Ref)) return TARGET_GROUP_ARN;
    if (value['Fn::Join'] !== undefined) return value['Fn::Join'][1].map(resolve).join(value['Fn::Join'][0]);
    throw new Error(`cannot resolve ${JSON.stringify(value)}`);
  };
  return Object.fromEntries(Object.entries<any>(schedules).map(([id, s]) => [id, {
    arn: resolve(s.Properties.Target.Arn),
    input: JSON.parse(resolve(s.Properties.Target.Input)),
  }]));
}

test('both schedules call ModifyListener with an input the AWS SDK accepts', () => {
  const inputs = Object.values(scheduleInputs());
  expect(inputs).toHaveLength(2);
  for (const { arn, input } of inputs) {
    expect(arn).toBe('arn:aws:scheduler:::aws-sdk:elasticloadbalancingv2:modifyListener');
    expect(input.ListenerArn).toBe(LISTENER_ARN);
    expect(botocoreReport('ModifyListener', input)).toBe('');
  }
  // What the service checks itself: the action types, and the page's status code.
  const types = inputs.map(({ input }) => input.DefaultActions[0].Type).sort();
  expect(types).toEqual(['fixed-response', 'forward']);
  for (const type of types) expect(modelShape('ActionTypeEnum').enum).toContain(type);
  const page = inputs.find(({ input }) => input.DefaultActions[0].Type === 'fixed-response')!.input.DefaultActions[0].FixedResponseConfig;
  expect(page.StatusCode).toMatch(new RegExp(modelShape('FixedResponseActionStatusCode').pattern));
  expect(page.MessageBody.length).toBeLessThanOrEqual(modelShape('FixedResponseActionMessage').max ?? 1024);
});

test('the validator can fail: a misspelt or a missing member is reported', () => {
  expect(botocoreReport('ModifyListener', { ListenerArn: LISTENER_ARN, DefaultActions: [{ Type: 'fixed-response', FixedResponse: { StatusCode: '503' } }] }))
    .toContain('Unknown parameter in DefaultActions[0]: "FixedResponse"');
  expect(botocoreReport('ModifyListener', { ListenerArn: LISTENER_ARN, DefaultActions: [{ TargetGroupArn: TARGET_GROUP_ARN }] }))
    .toContain('Missing required parameter in DefaultActions[0]: "Type"');
});
