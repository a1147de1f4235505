import { TimeZone, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { ChatService } from '../chat-service';
import { OffHoursSchedule } from '../off-hours';

/** The page the load balancer answers with while no Open WebUI task runs. */
export const DEFAULT_OFF_HOURS_MESSAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Closed</title></head>'
  + '<body style="font-family:sans-serif;text-align:center;margin-top:15vh"><h1>The chat is closed for now</h1>'
  + '<p>It opens again at the start of working hours.</p></body></html>';

/** A service whose task count the off hours change, with its working-hours range. */
export interface ScheduledService {
  /** The service, whose task count scaling is created on first use. */
  readonly scalable: ChatService;
  readonly minTasks: number;
  readonly maxTasks: number;
}

/**
 * Scales both services to no task (or one, `keepOneTask`) at `stop` and back at `start` (App Auto Scaling
 * scheduled actions, in the schedule's time zone). With no task, EventBridge Scheduler also
 * switches the listener to a fixed page at `stop` and back to Open WebUI at `start` (the
 * ModifyListener call, with a role that may modify this listener only).
 */
export function scheduleOffHours(
  scope: Construct,
  schedule: OffHoursSchedule,
  services: ScheduledService[],
  listener: elbv2.ApplicationListener,
  targetGroup: elbv2.ApplicationTargetGroup,
): void {
  const tasks = schedule.keepOneTask === true ? 1 : 0;
  const message = schedule.message ?? DEFAULT_OFF_HOURS_MESSAGE;
  if (!Token.isUnresolved(message) && message.length > 1024) {
    throw new Error(`offHours.message has ${message.length} characters; the load balancer's fixed response holds at most 1024`);
  }
  if (tasks !== 0 && schedule.message !== undefined) {
    throw new Error('offHours.message is set, but offHours.keepOneTask is true; the page is shown only while no task runs (leave keepOneTask out)');
  }
  const timeZone = schedule.timeZone ?? TimeZone.ETC_UTC;
  for (const s of services) {
    const count = s.scalable._scalableTaskCount(s.minTasks, s.maxTasks);
    count.scaleOnSchedule('OffHoursStop', { schedule: appscaling.Schedule.cron(schedule.stop), timeZone, minCapacity: tasks, maxCapacity: tasks });
    count.scaleOnSchedule('OffHoursStart', { schedule: appscaling.Schedule.cron(schedule.start), timeZone, minCapacity: s.minTasks, maxCapacity: s.maxTasks });
  }
  if (tasks !== 0) return;

  const modify = (id: string, cron: appscaling.CronOptions, defaultActions: unknown[]) => new scheduler.Schedule(scope, id, {
    description: id === 'OffHoursPage' ? 'Chat app: show the closed page while no task runs' : 'Chat app: serve Open WebUI again',
    schedule: scheduler.ScheduleExpression.cron({ ...cron, timeZone }),
    target: new targets.Universal({
      service: 'elasticloadbalancingv2',
      action: 'modifyListener',
      input: scheduler.ScheduleTargetInput.fromObject({ ListenerArn: listener.listenerArn, DefaultActions: defaultActions }),
      policyStatements: [new iam.PolicyStatement({ actions: ['elasticloadbalancing:ModifyListener'], resources: [listener.listenerArn] })],
      retryAttempts: 3,
    }),
  });
  modify('OffHoursPage', schedule.stop, [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503', ContentType: 'text/html', MessageBody: message } }]);
  modify('OffHoursOpen', schedule.start, [{ Type: 'forward', TargetGroupArn: targetGroup.targetGroupArn }]);
}
