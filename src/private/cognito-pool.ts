import { Aws, Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeCdkFunction, acknowledgeRules, AWS_MANAGED_KEY_REASON, cfnOf, DEPLOY_TIME_FUNCTION_SKIPS, skipCheckov } from './acknowledgements';

/** The id aws-cdk-lib gives the singleton function of every AwsCustomResource in a stack. */
const AWS_CUSTOM_RESOURCE_FUNCTION_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/** What the pool is made from: the choices of `SignIn.newCognitoUserPool` and where the app is. */
export interface CognitoPoolInput {
  /** The prefix of the sign-in domain. */
  readonly domainPrefix?: string;
  /** Whether users confirm sign-in with an authenticator app. */
  readonly mfa?: cognito.Mfa;
  /** What happens to the pool when it leaves the stack. */
  readonly removalPolicy?: RemovalPolicy;
  /** The address users open (the sign-out URL). */
  readonly appUrl: string;
  /** The redirect URI registered for the app client. */
  readonly redirectUri: string;
}

/** The pool, its client and the group whose members are Open WebUI admins. */
export interface CognitoSignIn {
  readonly userPool: cognito.UserPool;
  readonly clientId: string;
  readonly clientSecret: secretsmanager.ISecret;
  readonly adminGroupName: string;
}

/** The discovery document of a Cognito user pool: its issuer is in the pool's region. */
export function cognitoDiscoveryUrl(userPool: cognito.IUserPool): string {
  // https://cognito-idp.<region>.amazonaws.com/<pool id> (the region of the pool, from its ARN when imported).
  return `https://cognito-idp.${userPool.env.region}.${Stack.of(userPool).urlSuffix}/${userPool.userPoolId}/.well-known/openid-configuration`;
}

/**
 * Creates a user pool for the app's sign-in in `scope`: administrators create the users (no
 * self sign-up), email is the user name, TOTP by default, deletion protection; its sign-in
 * domain; a confidential app client for Open WebUI with the authorization code grant and the
 * app's redirect URI; the client secret copied into Secrets Manager (ECS reads secrets from
 * there); and the groups `admins` and `users`.
 */
export function createCognitoSignIn(scope: Construct, props: CognitoPoolInput): CognitoSignIn {
  const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
  const mfa = props.mfa ?? cognito.Mfa.REQUIRED;
  const userPool = new cognito.UserPool(scope, 'UserPool', {
    selfSignUpEnabled: false,
    signInAliases: { email: true },
    autoVerify: { email: true },
    standardAttributes: { email: { required: true, mutable: true } },
    mfa,
    mfaSecondFactor: { otp: true, sms: false },
    accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
    passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
    featurePlan: cognito.FeaturePlan.ESSENTIALS,
    deletionProtection: removalPolicy !== RemovalPolicy.DESTROY,
    removalPolicy,
  });
  const threatProtection = "Threat protection (advanced security) needs Cognito's Plus plan, about $0.02 per monthly active user; the pool has no self sign-up, strong passwords and TOTP. Turn it on through the `userPool` property's CfnUserPool if you need it.";
  acknowledgeRules(cfnOf(userPool), {
    'AwsSolutions-COG3': threatProtection,
    'AwsSolutions-COG8': threatProtection,
    ...(mfa !== cognito.Mfa.REQUIRED ? { 'AwsSolutions-COG2': 'MFA is not required because `mfa` was set to optional or off for this sign-in.' } : {}),
  });

  const domainPrefix = props.domainPrefix ?? `chat-${Aws.ACCOUNT_ID}-${Names.uniqueId(userPool).slice(-8).toLowerCase()}`;
  userPool.addDomain('Domain', { cognitoDomain: { domainPrefix } });

  const client = userPool.addClient('OpenWebUI', {
    generateSecret: true,
    authFlows: {},
    oAuth: {
      flows: { authorizationCodeGrant: true },
      scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
      callbackUrls: [props.redirectUri],
      logoutUrls: [props.appUrl],
    },
    supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
    preventUserExistenceErrors: true,
    idTokenValidity: Duration.hours(1),
    accessTokenValidity: Duration.hours(1),
    refreshTokenValidity: Duration.days(1),
  });
  // ECS hands Open WebUI its secrets from Secrets Manager; the custom resource that reads the
  // generated client secret hides it from its logs.
  const clientSecret = new secretsmanager.Secret(scope, 'ClientSecret', {
    description: 'Client secret of the Cognito app client of Open WebUI',
    secretStringValue: client.userPoolClientSecret,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // aws-cdk-lib's function behind the custom resource that reads the secret (a stack singleton).
  const reader = Stack.of(scope).node.tryFindChild(AWS_CUSTOM_RESOURCE_FUNCTION_ID);
  if (reader !== undefined) {
    acknowledgeCdkFunction(reader, "aws-cdk-lib's AwsCustomResource handler", "aws-cdk-lib's AwsCustomResource handler may only describe this pool's clients.");
    skipCheckov(reader, DEPLOY_TIME_FUNCTION_SKIPS);
  }
  const noRotation = 'The client secret is generated by Cognito for the app client; a new secret means a new client (Cognito cannot rotate it in place).';
  acknowledgeRules(cfnOf(clientSecret), { 'AwsSolutions-SMG4': noRotation });
  skipCheckov(clientSecret, { CKV2_AWS_57: noRotation, CKV_AWS_149: AWS_MANAGED_KEY_REASON });

  const adminGroupName = 'admins';
  userPool.addGroup('AdminsGroup', { groupName: adminGroupName, description: 'Open WebUI admins' });
  userPool.addGroup('UsersGroup', { groupName: 'users', description: 'Open WebUI users, let in without an admin approving them' });
  return { userPool, clientId: client.userPoolClientId, clientSecret, adminGroupName };
}
