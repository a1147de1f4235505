import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeRules, AWS_MANAGED_KEY_REASON, DEPLOY_TIME_FUNCTION_SKIPS, IAM4_LAMBDA_BASIC_EXECUTION, LAMBDA_BASIC_EXECUTION_REASON, skipCheckov } from './acknowledgements';

// Secrets Manager can generate a random string but cannot prefix it, and LiteLLM requires its
// master key to start with "sk-". This function prepends the prefix to the generated value once,
// inside AWS, so that the key never appears in the template, a custom resource response or a log.
// It never regenerates the value: on update and delete it does nothing but report success.
const HANDLER = `
import json, boto3, cfnresponse

def handler(event, context):
    try:
        if event['RequestType'] in ('Create', 'Update'):
            props = event['ResourceProperties']
            client = boto3.client('secretsmanager')
            value = client.get_secret_value(SecretId=props['SecretArn'])['SecretString']
            if not value.startswith(props['Prefix']):
                client.put_secret_value(SecretId=props['SecretArn'], SecretString=props['Prefix'] + value)
        cfnresponse.send(event, context, cfnresponse.SUCCESS, {}, event.get('PhysicalResourceId') or event['LogicalResourceId'], noEcho=True)
    except Exception as e:
        print('failed: %s' % type(e).__name__)
        cfnresponse.send(event, context, cfnresponse.FAILED, {}, event.get('PhysicalResourceId') or event['LogicalResourceId'], reason=type(e).__name__)
`;

/**
 * Makes sure the value of `secret` starts with `prefix`, and returns the custom resource that
 * does it: whatever reads the secret must depend on it.
 */
export function ensureSecretPrefix(scope: Construct, id: string, secret: secretsmanager.ISecret, prefix: string): CustomResource {
  const stack = Stack.of(scope);
  const functionId = 'BedrockImageChatSecretPrefixFunction';
  let fn = stack.node.tryFindChild(functionId) as lambda.Function | undefined;
  if (!fn) {
    fn = new lambda.Function(stack, functionId, {
      runtime: lambda.Runtime.PYTHON_3_14,
      handler: 'index.handler',
      code: lambda.Code.fromInline(HANDLER),
      timeout: Duration.seconds(60),
      description: 'Prefixes a generated Secrets Manager value once (cdk-bedrock-image-chat)',
      logGroup: new logs.LogGroup(stack, `${functionId}Logs`, { retention: logs.RetentionDays.ONE_MONTH }),
    });
    acknowledgeRules(fn, { [IAM4_LAMBDA_BASIC_EXECUTION]: LAMBDA_BASIC_EXECUTION_REASON });
    skipCheckov(fn, DEPLOY_TIME_FUNCTION_SKIPS);
    skipCheckov(stack.node.findChild(`${functionId}Logs`), { CKV_AWS_158: AWS_MANAGED_KEY_REASON });
  }
  secret.grantRead(fn);
  secret.grantWrite(fn);
  const resource = new CustomResource(scope, id, {
    serviceToken: fn.functionArn,
    resourceType: 'Custom::SecretPrefix',
    properties: { SecretArn: secret.secretArn, Prefix: prefix },
  });
  // The grants must exist before the function runs.
  resource.node.addDependency(fn.role as iam.IRole);
  return resource;
}
