import { Stack, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

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

const DEFAULT_SCOPES = ['openid', 'email', 'profile'];

/**
 * How users sign in to Open WebUI besides the email and password form: an OpenID Connect
 * identity provider.
 *
 * Open WebUI talks to the provider itself (discovery, token exchange), so its tasks need a route
 * to the internet: `egress` must be `InternetEgress.NAT_GATEWAY` (or `EXISTING` with your VPC).
 * Register `https://<your domain>/oauth/oidc/login/callback` (the `OAuthRedirectUri` output) as the
 * redirect URI at the provider.
 */
export class SignIn {
  /**
   * Any OpenID Connect provider, by its discovery document.
   */
  public static oidc(props: OidcSignInProps): SignIn {
    return new SignIn(props.discoveryUrl, props.clientId, props.clientSecret, props.providerName ?? 'SSO', props.scopes ?? DEFAULT_SCOPES, props);
  }

  /**
   * Google accounts (Google Workspace or consumer), through Google's OpenID Connect endpoint.
   * Use `allowedEmailDomains` to admit your Workspace domain only.
   */
  public static google(props: GoogleSignInProps): SignIn {
    return new SignIn('https://accounts.google.com/.well-known/openid-configuration', props.clientId, props.clientSecret, 'Google', DEFAULT_SCOPES, props);
  }

  /**
   * Microsoft Entra ID (Azure AD) accounts of one tenant. App roles in the ID token's `roles`
   * claim can make admins: `roleClaim: 'roles', adminRoles: ['ChatAdmin']`.
   */
  public static microsoftEntraId(props: MicrosoftEntraIdSignInProps): SignIn {
    if (!Token.isUnresolved(props.tenantId) && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(props.tenantId)) {
      throw new Error(`tenantId is '${props.tenantId}', which is not a directory (tenant) id; use the GUID shown on the Entra ID overview page, for example '00000000-0000-0000-0000-000000000000'`);
    }
    return new SignIn(
      `https://login.microsoftonline.com/${props.tenantId}/v2.0/.well-known/openid-configuration`,
      props.clientId, props.clientSecret, 'Microsoft', DEFAULT_SCOPES, props,
    );
  }

  /**
   * Users of an Amazon Cognito user pool (which can itself federate SAML or social providers).
   * Cognito groups can make admins: `roleClaim: 'cognito:groups', adminRoles: ['chat-admins']`.
   */
  public static cognito(props: CognitoSignInProps): SignIn {
    // The pool's issuer: https://cognito-idp.<region>.amazonaws.com/<pool id> (the region of the pool, from its ARN when imported).
    const issuer = `https://cognito-idp.${props.userPool.env.region}.${Stack.of(props.userPool).urlSuffix}/${props.userPool.userPoolId}`;
    return new SignIn(`${issuer}/.well-known/openid-configuration`, props.clientId, props.clientSecret, 'Cognito', DEFAULT_SCOPES, props);
  }

  /** The provider's OpenID Connect discovery document. */
  public readonly discoveryUrl: string;

  /** The client id registered at the provider. */
  public readonly clientId: string;

  /** The client secret. */
  public readonly clientSecret: secretsmanager.ISecret;

  /** The name on the sign-in button. */
  public readonly providerName: string;

  /** The scopes asked for. */
  public readonly scopes: string[];

  /** The options: allowed domains, account creation, the password form, admin roles. */
  public readonly options: SignInOptions;

  private constructor(
    discoveryUrl: string,
    clientId: string,
    clientSecret: secretsmanager.ISecret,
    providerName: string,
    scopes: string[],
    options: SignInOptions,
  ) {
    if (!Token.isUnresolved(discoveryUrl) && !/^https:\/\/[^\s/]+\/\S*\.well-known\/openid-configuration$/.test(discoveryUrl)) {
      throw new Error(`discoveryUrl is '${discoveryUrl}'; use the https URL of the provider's OpenID Connect discovery document, ending in /.well-known/openid-configuration`);
    }
    if (!Token.isUnresolved(clientId) && clientId.trim() === '') {
      throw new Error('clientId is empty; use the client (application) id registered at the identity provider');
    }
    if (!scopes.includes('openid') || !scopes.includes('email')) {
      throw new Error(`scopes is [${scopes.join(', ')}]; it must include 'openid' and 'email': Open WebUI matches accounts by email`);
    }
    for (const domain of options.allowedEmailDomains ?? []) {
      if (!Token.isUnresolved(domain) && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) {
        throw new Error(`allowedEmailDomains contains '${domain}', which is not a domain; use a form like 'example.com' (no @)`);
      }
    }
    if (options.adminRoles !== undefined && options.roleClaim === undefined) {
      throw new Error('adminRoles is set, but roleClaim is not; name the ID token claim that holds the roles, for example roleClaim: \'roles\'');
    }
    this.discoveryUrl = discoveryUrl;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.providerName = providerName;
    this.scopes = scopes;
    this.options = options;
  }
}
