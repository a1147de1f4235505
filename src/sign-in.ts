import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { cognitoDiscoveryUrl, createCognitoSignIn } from './private/cognito-pool';

/**
 * Options shared by every identity provider of {@link SignIn}.
 */
export interface SignInOptions {
  /**
   * The email domains whose users may sign in, for example `['example.com']`.
   *
   * @default - any domain the identity provider vouches for
   */
  readonly allowedEmailDomains?: string[];

  /**
   * Whether a first sign-in through the identity provider creates the Open WebUI account.
   *
   * New accounts get the role `pending` until an admin approves them, unless `roleClaim` and
   * `adminRoles` decide. Without it, an admin creates each account (with the same email) first.
   *
   * @default true
   */
  readonly createAccounts?: boolean;

  /**
   * Whether the email and password form stays on the sign-in page (for the first admin and
   * accounts the admin created with a password).
   *
   * @default true
   */
  readonly passwordSignIn?: boolean;

  /**
   * The claim of the ID token that lists the user's roles or groups, for `adminRoles`.
   *
   * @default - roles are not taken from the identity provider: admins are made in Open WebUI
   */
  readonly roleClaim?: string;

  /**
   * The values of `roleClaim` that make a user an admin; any other signed-in user is a `user`.
   *
   * @default - none (requires `roleClaim`)
   */
  readonly adminRoles?: string[];

  /**
   * The claim of the ID token (or of the provider's userinfo) that lists the user's groups, for
   * model access by group (`modelAccess`).
   *
   * At every sign-in, Open WebUI makes the user a member of exactly the Open WebUI groups whose
   * names the claim lists, so nobody maintains the groups of model access by hand. Groups are
   * matched by name and none is created from the claim (the groups named in `modelAccess` are
   * created at start). Open WebUI 0.12 changes nothing when the claim lists no group at all: a
   * user removed from their last group at the provider keeps their Open WebUI groups until an
   * admin removes them.
   *
   * @default - groups are kept in Open WebUI's admin panel; with `SignIn.newCognitoUserPool`,
   * `'cognito:groups'` (the pool's groups)
   */
  readonly groupClaim?: string;
}

/**
 * Properties of {@link SignIn.oidc}.
 */
export interface OidcSignInProps extends SignInOptions {
  /**
   * The OpenID Connect discovery document of the provider, for example
   * `https://accounts.google.com/.well-known/openid-configuration`.
   */
  readonly discoveryUrl: string;

  /** The client (application) id registered at the provider. */
  readonly clientId: string;

  /** The client secret, in Secrets Manager (the whole secret string is the client secret). */
  readonly clientSecret: secretsmanager.ISecret;

  /**
   * The name on the sign-in button ("Continue with ...").
   *
   * @default 'SSO'
   */
  readonly providerName?: string;

  /**
   * The scopes to ask for; they must include `openid` and `email`.
   *
   * @default ['openid', 'email', 'profile']
   */
  readonly scopes?: string[];
}

/**
 * Properties of {@link SignIn.google}.
 */
export interface GoogleSignInProps extends SignInOptions {
  /** The OAuth client id of a Google Cloud "Web application" client. */
  readonly clientId: string;

  /** Its client secret, in Secrets Manager (the whole secret string). */
  readonly clientSecret: secretsmanager.ISecret;
}

/**
 * Properties of {@link SignIn.microsoftEntraId}.
 */
export interface MicrosoftEntraIdSignInProps extends SignInOptions {
  /** The directory (tenant) id of your Microsoft Entra ID. */
  readonly tenantId: string;

  /** The application (client) id of the app registration. */
  readonly clientId: string;

  /** A client secret of the app registration, in Secrets Manager (the whole secret string). */
  readonly clientSecret: secretsmanager.ISecret;
}

/**
 * Properties of {@link SignIn.cognito}.
 */
export interface CognitoSignInProps extends SignInOptions {
  /** The Amazon Cognito user pool, with a hosted domain (its OAuth endpoints live there). */
  readonly userPool: cognito.IUserPool;

  /**
   * The id of the pool's app client for Open WebUI: a confidential client with the authorization
   * code grant, the scopes `openid`, `email` and `profile`, and the `OAuthRedirectUri` output as
   * its callback URL.
   */
  readonly clientId: string;

  /** The app client's secret, in Secrets Manager (the whole secret string). */
  readonly clientSecret: secretsmanager.ISecret;
}

/**
 * Properties of {@link SignIn.newCognitoUserPool}.
 */
export interface NewCognitoUserPoolSignInProps extends SignInOptions {
  /**
   * The prefix of the pool's sign-in domain, `https://<prefix>.auth.<region>.amazoncognito.com`:
   * unique in the region, lowercase letters, digits and hyphens, without the words `aws`,
   * `amazon` or `cognito`.
   *
   * @default - `chat-<account id>-<8 characters from the construct path>`
   */
  readonly domainPrefix?: string;

  /**
   * Whether users must confirm sign-in with an authenticator app (TOTP). Cognito asks for the
   * app's setup at the first sign-in.
   *
   * @default cognito.Mfa.REQUIRED
   */
  readonly mfa?: cognito.Mfa;

  /**
   * What happens to the pool (and its users) when it leaves the stack. The pool also has deletion
   * protection unless this is `RemovalPolicy.DESTROY`.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * What {@link SignIn.bind} gives Open WebUI: the provider and the client registered there.
 */
export interface SignInConfig {
  /** The provider's OpenID Connect discovery document. */
  readonly discoveryUrl: string;

  /** The client id registered at the provider. */
  readonly clientId: string;

  /** The client secret, in Secrets Manager (the whole secret string). */
  readonly clientSecret: secretsmanager.ISecret;

  /** The name on the sign-in button. */
  readonly providerName: string;

  /** The scopes asked for. */
  readonly scopes: string[];

  /** Allowed domains, account creation, the password form and admin roles. */
  readonly options: SignInOptions;

  /**
   * The Amazon Cognito user pool created for the sign-in ({@link SignIn.newCognitoUserPool}).
   *
   * @default - none: the provider is not created by the construct
   */
  readonly userPool?: cognito.IUserPool;
}

/**
 * Where the app is, for {@link SignIn.bind}.
 */
export interface SignInBindOptions {
  /** The address users open, `https://...` (links, sign-out). */
  readonly appUrl: string;

  /** The redirect URI the identity provider sends users back to after sign-in. */
  readonly redirectUri: string;
}

const DEFAULT_SCOPES = ['openid', 'email', 'profile'];

/**
 * How users sign in to Open WebUI besides the email and password form: an OpenID Connect
 * identity provider.
 *
 * Open WebUI talks to the provider itself (discovery, token exchange), so its tasks need a route
 * to the internet: `network.egress` (`egress` on `OpenWebUIService`) must be `InternetEgress.NAT_GATEWAY` (or `EXISTING` with your VPC).
 * Register `https://<your domain>/oauth/oidc/login/callback` (the `OAuthRedirectUri` output) as the
 * redirect URI at the provider; `SignIn.newCognitoUserPool` registers it itself.
 */
export abstract class SignIn {
  /**
   * Any OpenID Connect provider, by its discovery document.
   */
  public static oidc(props: OidcSignInProps): SignIn {
    return new ProviderSignIn(props.discoveryUrl, props.clientId, props.clientSecret, props.providerName ?? 'SSO', props.scopes ?? DEFAULT_SCOPES, props);
  }

  /**
   * Google accounts (Google Workspace or consumer), through Google's OpenID Connect endpoint.
   * Use `allowedEmailDomains` to admit your Workspace domain only.
   */
  public static google(props: GoogleSignInProps): SignIn {
    return new ProviderSignIn('https://accounts.google.com/.well-known/openid-configuration', props.clientId, props.clientSecret, 'Google', DEFAULT_SCOPES, props);
  }

  /**
   * Microsoft Entra ID (Azure AD) accounts of one tenant. App roles in the ID token's `roles`
   * claim can make admins: `roleClaim: 'roles', adminRoles: ['ChatAdmin']`.
   */
  public static microsoftEntraId(props: MicrosoftEntraIdSignInProps): SignIn {
    if (!Token.isUnresolved(props.tenantId) && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(props.tenantId)) {
      throw new Error(`tenantId is '${props.tenantId}', which is not a directory (tenant) id; use the GUID shown on the Entra ID overview page, for example '00000000-0000-0000-0000-000000000000'`);
    }
    return new ProviderSignIn(
      `https://login.microsoftonline.com/${props.tenantId}/v2.0/.well-known/openid-configuration`,
      props.clientId, props.clientSecret, 'Microsoft', DEFAULT_SCOPES, props,
    );
  }

  /**
   * Users of your Amazon Cognito user pool (which can itself federate SAML or social providers).
   * Cognito groups can make admins: `roleClaim: 'cognito:groups', adminRoles: ['chat-admins']`.
   */
  public static cognito(props: CognitoSignInProps): SignIn {
    return new ProviderSignIn(cognitoDiscoveryUrl(props.userPool), props.clientId, props.clientSecret, 'Cognito', DEFAULT_SCOPES, props);
  }

  /**
   * A new Amazon Cognito user pool for the app, created with the app: its sign-in domain, an app
   * client registered with the app's redirect URI, the client secret in Secrets Manager, and the
   * groups `admins` (Open WebUI admins) and `users` (Open WebUI users).
   *
   * Nobody can sign up: you create the users (console, or `aws cognito-idp admin-create-user`) and
   * put them in a group; a user in no group gets a `pending` account that an admin approves. Sign-in
   * asks for an authenticator app (TOTP) by default. The pool is retained when it leaves the stack.
   */
  public static newCognitoUserPool(props: NewCognitoUserPoolSignInProps = {}): SignIn {
    return new NewUserPoolSignIn(props);
  }

  /**
   * Creates what the sign-in needs in `scope` (a new user pool and its client, for
   * `newCognitoUserPool`) and returns the provider and client for Open WebUI.
   */
  public abstract bind(scope: Construct, options: SignInBindOptions): SignInConfig;
}

/** Checks the options every sign-in shares. */
function checkOptions(options: SignInOptions): void {
  for (const domain of options.allowedEmailDomains ?? []) {
    if (!Token.isUnresolved(domain) && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) {
      throw new Error(`allowedEmailDomains contains '${domain}', which is not a domain; use a form like 'example.com' (no @)`);
    }
  }
  if (options.adminRoles !== undefined && options.roleClaim === undefined) {
    throw new Error('adminRoles is set, but roleClaim is not; name the ID token claim that holds the roles, for example roleClaim: \'roles\'');
  }
  for (const [prop, claim] of [['roleClaim', options.roleClaim], ['groupClaim', options.groupClaim]] as const) {
    if (claim !== undefined && !Token.isUnresolved(claim) && (typeof claim !== 'string' || claim.trim() === '')) {
      throw new Error(`${prop} is ${JSON.stringify(claim)}; name the ID token claim, for example ${prop}: '${prop === 'roleClaim' ? 'roles' : 'groups'}'`);
    }
  }
}

/** A provider that exists already, with a client registered there. */
class ProviderSignIn extends SignIn {
  private readonly config: SignInConfig;

  constructor(
    discoveryUrl: string,
    clientId: string,
    clientSecret: secretsmanager.ISecret,
    providerName: string,
    scopes: string[],
    options: SignInOptions,
  ) {
    super();
    if (!Token.isUnresolved(discoveryUrl) && !/^https:\/\/[^\s/]+\/\S*\.well-known\/openid-configuration$/.test(discoveryUrl)) {
      throw new Error(`discoveryUrl is '${discoveryUrl}'; use the https URL of the provider's OpenID Connect discovery document, ending in /.well-known/openid-configuration`);
    }
    if (!Token.isUnresolved(clientId) && clientId.trim() === '') {
      throw new Error('clientId is empty; use the client (application) id registered at the identity provider');
    }
    if (!scopes.includes('openid') || !scopes.includes('email')) {
      throw new Error(`scopes is [${scopes.join(', ')}]; it must include 'openid' and 'email': Open WebUI matches accounts by email`);
    }
    checkOptions(options);
    this.config = { discoveryUrl, clientId, clientSecret, providerName, scopes, options };
  }

  public bind(_scope: Construct, _options: SignInBindOptions): SignInConfig {
    return this.config;
  }
}

/** A user pool the construct creates, with its client registered for the app's redirect URI. */
class NewUserPoolSignIn extends SignIn {
  constructor(private readonly props: NewCognitoUserPoolSignInProps) {
    super();
    checkOptions(props);
    const prefix = props.domainPrefix;
    if (prefix !== undefined && !Token.isUnresolved(prefix)
      && (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix) || /aws|amazon|cognito/.test(prefix))) {
      throw new Error(
        `domainPrefix is '${prefix}'; a Cognito domain prefix has 1-63 lowercase letters, digits and hyphens (not at either end) and must not contain 'aws', 'amazon' or 'cognito', for example 'chat-example-corp'`,
      );
    }
  }

  public bind(scope: Construct, options: SignInBindOptions): SignInConfig {
    const props = this.props;
    const pool = createCognitoSignIn(new Construct(scope, 'SignIn'), {
      domainPrefix: props.domainPrefix,
      mfa: props.mfa,
      removalPolicy: props.removalPolicy,
      appUrl: options.appUrl,
      redirectUri: options.redirectUri,
    });
    return {
      discoveryUrl: cognitoDiscoveryUrl(pool.userPool),
      clientId: pool.clientId,
      clientSecret: pool.clientSecret,
      providerName: 'Cognito',
      scopes: DEFAULT_SCOPES,
      // Members of the groups get their role from Cognito; a user in no group is pending. The
      // pool's groups are also the users' Open WebUI groups, for model access.
      options: {
        ...props,
        roleClaim: props.roleClaim ?? 'cognito:groups',
        adminRoles: props.adminRoles ?? [pool.adminGroupName],
        groupClaim: props.groupClaim ?? 'cognito:groups',
      },
      userPool: pool.userPool,
    };
  }
}
