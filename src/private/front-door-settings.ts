import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { WebFirewall } from '../web-firewall';

/** A `FrontDoor` as its factory recorded it. */
export interface FrontDoorSettings {
  readonly kind: 'cloudFront' | 'loadBalancer' | 'plainHttp';
  /** The factory, as errors name it: `FrontDoor.cloudFront`. */
  readonly name: string;
  readonly internetFacing: boolean;
  readonly allowedCidrs?: string[];
  readonly domainName?: string;
  readonly hostedZone?: route53.IHostedZone;
  readonly certificate?: acm.ICertificate;
  readonly webFirewall?: WebFirewall;
  readonly contentSecurityPolicy?: string;
}
