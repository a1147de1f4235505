/**
 * PrivateBedrockVpc used directly, as a user composing the parts does (`BedrockImageChat` builds
 * it for you; networking.test.ts covers it through the L3).
 */
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { InternetEgress, PrivateBedrockVpc } from '../src';
import { newStack } from './util';

const ENV = { env: { account: '111111111111', region: 'us-west-2' } };

/** The service names of the interface endpoints, as `com.amazonaws.<region>.<name>` without the prefix. */
function endpointServices(template: Template): string[] {
  return Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }))
    .map((e: any) => JSON.stringify(e.Properties.ServiceName).replace(/^.*com\.amazonaws\.us-west-2\./, '').replace(/"$/, ''))
    .sort();
}

describe('the default: no NAT gateway, AWS through endpoints', () => {
  const stack = newStack(ENV);
  const network = new PrivateBedrockVpc(stack, 'Network');
  const template = Template.fromStack(stack);

  test('two zones of public and isolated subnets, no NAT gateway, and the tasks in isolated subnets', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    expect(network.vpc.publicSubnets).toHaveLength(2);
    expect(network.vpc.isolatedSubnets).toHaveLength(2);
    expect(network.vpc.privateSubnets).toHaveLength(0);
    expect(network.privateSubnets).toEqual({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED });
    expect(network.egress).toBe(InternetEgress.NONE);
  });

  test('the interface endpoints a Fargate task needs, with private DNS, and the S3 gateway endpoint', () => {
    expect(endpointServices(template)).toEqual(['bedrock-runtime', 'ecr.api', 'ecr.dkr', 'logs', 'secretsmanager']);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', PrivateDnsEnabled: true });
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 6);
    expect(network.interfaceEndpoints).toHaveLength(5);
    expect(network.s3Endpoint).toBeDefined();
  });

  test('flow logs kept three months', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
  });

  test('the endpoints admit nobody by default', () => {
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    const endpointGroup = stack.resolve(network.endpointSecurityGroup.securityGroupId)['Fn::GetAtt'][0];
    expect(template.toJSON().Resources[endpointGroup].Properties.SecurityGroupIngress).toBeUndefined();
  });
});

test('allowEndpointAccessFrom admits that service on 443 only', () => {
  const stack = newStack(ENV);
  const network = new PrivateBedrockVpc(stack, 'Network');
  const client = new ec2.SecurityGroup(stack, 'Client', { vpc: network.vpc });
  network.allowEndpointAccessFrom(client);
  const template = Template.fromStack(stack);
  const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r: any) => r.Properties);
  expect(ingress).toEqual([expect.objectContaining({
    IpProtocol: 'tcp',
    FromPort: 443,
    ToPort: 443,
    SourceSecurityGroupId: stack.resolve(client.securityGroupId),
    GroupId: stack.resolve(network.endpointSecurityGroup.securityGroupId),
  })]);
});

test('NAT_GATEWAY: one NAT gateway, and the tasks in private subnets with that route', () => {
  const stack = newStack(ENV);
  const network = new PrivateBedrockVpc(stack, 'Network', { egress: InternetEgress.NAT_GATEWAY });
  Template.fromStack(stack).resourceCountIs('AWS::EC2::NatGateway', 1);
  expect(network.privateSubnets).toEqual({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
});

test('more endpoints, three zones and a flow log retention of your choice', () => {
  const stack = newStack(ENV);
  new PrivateBedrockVpc(stack, 'Network', {
    maxAzs: 3,
    additionalEndpoints: [ec2.InterfaceVpcEndpointAwsService.BEDROCK],
    logRetention: logs.RetentionDays.ONE_YEAR,
  });
  const template = Template.fromStack(stack);
  expect(endpointServices(template)).toContain('bedrock');
  template.resourceCountIs('AWS::EC2::Subnet', 6);
  template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
});

test('Bedrock\'s other endpoints, as docs/networking.md adds them: the control plane and bedrock-mantle, with private DNS and the endpoints\' security group', () => {
  const stack = newStack(ENV);
  const network = new PrivateBedrockVpc(stack, 'Network', {
    additionalEndpoints: [ec2.InterfaceVpcEndpointAwsService.BEDROCK, new ec2.InterfaceVpcEndpointAwsService('bedrock-mantle')],
  });
  const template = Template.fromStack(stack);
  expect(endpointServices(template)).toEqual(['bedrock', 'bedrock-mantle', 'bedrock-runtime', 'ecr.api', 'ecr.dkr', 'logs', 'secretsmanager']);
  template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
    ServiceName: 'com.amazonaws.us-west-2.bedrock-mantle',
    PrivateDnsEnabled: true,
    SecurityGroupIds: [{ 'Fn::GetAtt': [stack.getLogicalId(network.endpointSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] }],
  });
});

test('EXISTING describes a VPC you bring, so it is an error here', () => {
  expect(() => new PrivateBedrockVpc(newStack(ENV), 'Network', { egress: InternetEgress.EXISTING }))
    .toThrow(/^egress is InternetEgress\.EXISTING, which describes a VPC you bring; PrivateBedrockVpc creates its VPC/);
});
