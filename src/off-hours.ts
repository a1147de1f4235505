import { TimeZone } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';

/**
 * When the app runs with fewer tasks (outside working hours), to save the tasks' cost.
 */
export interface OffHoursSchedule {
  /** When the off hours begin, for example `{ hour: '20', minute: '0', weekDay: 'MON-FRI' }`. */
  readonly stop: appscaling.CronOptions;

  /** When they end, for example `{ hour: '7', minute: '0', weekDay: 'MON-FRI' }`. */
  readonly start: appscaling.CronOptions;

  /**
   * The time zone of `stop` and `start`, for example `TimeZone.EUROPE_LISBON` (daylight saving
   * time included).
   *
   * @default TimeZone.ETC_UTC
   */
  readonly timeZone?: TimeZone;

  /**
   * Whether each service keeps one task during the off hours. Without it no task runs, and the
   * load balancer answers every request with `message` (status 503).
   *
   * @default false
   */
  readonly keepOneTask?: boolean;

  /**
   * The page shown while no task runs (HTML, at most 1024 characters).
   *
   * @default - a short notice that the chat is closed until the next start
   */
  readonly message?: string;
}
