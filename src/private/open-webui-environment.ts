import { BedrockModel } from '../bedrock-model';
import { SignInConfig } from '../sign-in';
import { imageRequestFor } from './image-size';

/** What the Open WebUI container's environment is made from. */
export interface OpenWebUIEnvironmentInput {
  /** The first admin's email (the password is an ECS secret). */
  readonly adminEmail: string;
  /** Sign-in through an OpenID Connect provider (its client secret is an ECS secret). */
  readonly signIn?: SignInConfig;
  /** The LiteLLM API base URL (`.../v1`). */
  readonly litellmUrl: string;
  /** The display names of the chat models, the only ones offered for chat. */
  readonly chatModelNames: string[];
  /** The image model; without one, image generation is off. */
  readonly imageModel?: BedrockModel;
  readonly imageSize: string;
  readonly embeddingModel: BedrockModel;
  /** The address users open (`https://...`), or undefined when the service sits behind a load balancer the construct does not know. */
  readonly publicUrl?: string;
  readonly persistentConfig: boolean;
  readonly nativeFunctionCalling: boolean;
  readonly databaseHost: string;
  readonly databasePort: string;
  readonly databaseName: string;
  /** The Redis several tasks share (its AUTH token is an ECS secret). */
  readonly redis?: { readonly host: string; readonly port: string };
  /** The bucket of uploaded files, with S3 storage (credentials: the task role). */
  readonly filesBucket?: { readonly name: string; readonly region: string };
}

/**
 * The vector length of embedding models outside the catalog (Bedrock user guide, model cards);
 * catalog models carry theirs (src/private/catalog-data.ts). Open WebUI creates its pgvector
 * column with `PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH` dimensions, 1536 unless told otherwise.
 */
const EMBEDDING_DIMENSIONS: Record<string, number> = {
  'amazon.titan-embed-text-v1': 1536,
  'amazon.titan-embed-g1-text-02': 1536,
  'amazon.titan-embed-image-v1': 1024,
  'cohere.embed-english-v3': 1024,
  'cohere.embed-multilingual-v3': 1024,
  'cohere.embed-v4:0': 1536,
};

/** Open WebUI's own pgvector dimension, kept for an embedding model this library does not know. */
export const DEFAULT_EMBEDDING_DIMENSIONS = 1536;

/**
 * How many chunks Open WebUI sends to LiteLLM in one embeddings request. Open WebUI's default is
 * 1 (one HTTP request per chunk); LiteLLM fans a batch out to Bedrock itself (Titan embeds one
 * text per InvokeModel call), so a larger batch only saves round trips between the two services.
 */
export const RAG_EMBEDDING_BATCH_SIZE = 32;

/** The vector length of an embedding model, or undefined when this library does not know it. */
export function embeddingDimensions(model: BedrockModel): number | undefined {
  return model._embeddingDimensions ?? EMBEDDING_DIMENSIONS[model.foundationModelId];
}

/**
 * The plain (non-secret) environment of the Open WebUI container. Every name here is read by the
 * pinned Open WebUI (backend/open_webui/env.py and config.py); `test/upstream-names.test.ts`
 * fails when an upgrade stops reading one.
 */
export function renderOpenWebUIEnvironment(input: OpenWebUIEnvironmentInput): Record<string, string> {
  const image = input.imageModel !== undefined ? imageRequestFor(input.imageModel, input.imageSize) : undefined;
  const https = input.publicUrl?.startsWith('https://') ?? false;
  return {
    // Persistent config: see the persistentConfig prop.
    ENABLE_PERSISTENT_CONFIG: String(input.persistentConfig),

    // Accounts: signup is closed; the first admin comes from WEBUI_ADMIN_* (Open WebUI creates it
    // only while no user exists, then keeps signup disabled).
    WEBUI_AUTH: 'true',
    ENABLE_SIGNUP: 'false',
    DEFAULT_USER_ROLE: 'pending',
    WEBUI_ADMIN_NAME: 'Admin',
    WEBUI_ADMIN_EMAIL: input.adminEmail,

    // The address users open: Open WebUI builds links and OAuth redirects from it, and only that
    // origin may call the API from a browser (the default, '*', lets any site try).
    ...(input.publicUrl !== undefined ? { WEBUI_URL: input.publicUrl, CORS_ALLOW_ORIGIN: input.publicUrl } : {}),
    // Behind HTTPS, browsers must never send the session cookies over plain HTTP.
    WEBUI_SESSION_COOKIE_SECURE: String(https),
    WEBUI_AUTH_COOKIE_SECURE: String(https),
    // A private deployment shares nothing with openwebui.com and offers no arena "models".
    ENABLE_COMMUNITY_SHARING: 'false',
    ENABLE_EVALUATION_ARENA_MODELS: 'false',

    ...signInEnvironment(input),
    ...(input.filesBucket !== undefined ? {
      // Uploaded files in S3, with the task role's credentials (no keys set); the VPC's S3
      // gateway endpoint carries the traffic.
      STORAGE_PROVIDER: 's3',
      S3_BUCKET_NAME: input.filesBucket.name,
      S3_REGION_NAME: input.filesBucket.region,
    } : {}),
    ...(input.redis !== undefined ? {
      // Several tasks: websocket events reach the task that holds the browser's connection
      // through Redis. The browser then connects by websocket only (no long-polling that would
      // need sticky sessions). REDIS_URL is composed at start from these and the AUTH token.
      ENABLE_WEBSOCKET_SUPPORT: 'true',
      WEBSOCKET_MANAGER: 'redis',
      REDIS_ENDPOINT_HOST: input.redis.host,
      REDIS_ENDPOINT_PORT: input.redis.port,
    } : {}),

    // Chat through LiteLLM only, and only its chat models: the image and embedding models answer
    // a chat request with an error, so the model list offers the chat models alone.
    OPENAI_API_BASE_URL: input.litellmUrl,
    OPENAI_API_CONFIGS: JSON.stringify({ 0: { enable: true, model_ids: input.chatModelNames } }),
    ENABLE_OPENAI_API: 'true',
    ENABLE_OLLAMA_API: 'false',
    ENABLE_DIRECT_CONNECTIONS: 'false',
    // Since 0.10 Open WebUI defaults to native function calling: the model gets 27 built-in
    // tools on every turn and the image button no longer forces an image. 'legacy' keeps the
    // button's promise (it always draws) and the prompts small; see nativeFunctionCalling.
    ...(input.nativeFunctionCalling ? {} : { DEFAULT_MODEL_PARAMS: JSON.stringify({ function_calling: 'legacy' }) }),

    // Image generation through LiteLLM, when the proxy serves an image model. Image editing is
    // off: the proxy serves no edit model.
    ENABLE_IMAGE_GENERATION: String(image !== undefined),
    ...(input.imageModel !== undefined && image !== undefined ? {
      IMAGE_GENERATION_ENGINE: 'openai',
      IMAGES_OPENAI_API_BASE_URL: input.litellmUrl,
      IMAGE_GENERATION_MODEL: input.imageModel.displayName,
      IMAGE_SIZE: image.size,
      ...(image.params ? { IMAGES_OPENAI_PARAMS: JSON.stringify(image.params) } : {}),
    } : {}),
    ENABLE_IMAGE_EDIT: 'false',

    // Document embeddings through LiteLLM, so no sentence-transformers model is downloaded.
    RAG_EMBEDDING_ENGINE: 'openai',
    RAG_OPENAI_API_BASE_URL: input.litellmUrl,
    RAG_EMBEDDING_MODEL: input.embeddingModel.displayName,
    RAG_EMBEDDING_BATCH_SIZE: String(RAG_EMBEDDING_BATCH_SIZE),

    // No internet at start: OFFLINE_MODE sets HF_HUB_OFFLINE and turns off the version check.
    // DO_NOT_TRACK is read by huggingface_hub. (Chroma's and Scarf's telemetry switches are not
    // set: with pgvector as the vector store nothing in the pinned release reads them.)
    OFFLINE_MODE: 'true',
    ENABLE_VERSION_UPDATE_CHECK: 'false',
    DO_NOT_TRACK: 'true',

    // PostgreSQL; the user name and password are ECS secrets. pgvector's column gets the
    // embedding model's vector length.
    DATABASE_TYPE: 'postgresql',
    DATABASE_HOST: input.databaseHost,
    DATABASE_PORT: input.databasePort,
    DATABASE_NAME: input.databaseName,
    VECTOR_DB: 'pgvector',
    PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH: String(embeddingDimensions(input.embeddingModel) ?? DEFAULT_EMBEDDING_DIMENSIONS),
  };
}

/** The path Open WebUI serves the OpenID Connect callback on, under its public URL. */
export const OIDC_CALLBACK_PATH = '/oauth/oidc/login/callback';

/**
 * Sign-in through an OpenID Connect provider. The redirect URI is set from the public URL, so it
 * is https:// behind the TLS-terminating load balancer (Open WebUI would build http:// from the
 * request it sees). Accounts merge by email, so the first admin and accounts an admin created link
 * to the provider's identity of the same email; the provider must vouch for emails.
 */
function signInEnvironment(input: OpenWebUIEnvironmentInput): Record<string, string> {
  const signIn = input.signIn;
  if (signIn === undefined) return {};
  const o = signIn.options;
  return {
    ENABLE_OAUTH_SIGNUP: String(o.createAccounts ?? true),
    OAUTH_MERGE_ACCOUNTS_BY_EMAIL: 'true',
    ENABLE_LOGIN_FORM: String(o.passwordSignIn ?? true),
    OAUTH_CLIENT_ID: signIn.clientId,
    OPENID_PROVIDER_URL: signIn.discoveryUrl,
    OAUTH_PROVIDER_NAME: signIn.providerName,
    OAUTH_SCOPES: signIn.scopes.join(' '),
    ...(input.publicUrl !== undefined ? { OPENID_REDIRECT_URI: `${input.publicUrl}${OIDC_CALLBACK_PATH}` } : {}),
    ...(o.allowedEmailDomains !== undefined ? { OAUTH_ALLOWED_DOMAINS: o.allowedEmailDomains.join(',') } : {}),
    ...(o.roleClaim !== undefined ? {
      ENABLE_OAUTH_ROLE_MANAGEMENT: 'true',
      OAUTH_ROLES_CLAIM: o.roleClaim,
      OAUTH_ALLOWED_ROLES: '*',
      OAUTH_ADMIN_ROLES: (o.adminRoles ?? []).join(','),
    } : {}),
  };
}

/**
 * The advisory lock id under which one Open WebUI task at a time migrates the database schema.
 */
export const MIGRATION_LOCK_ID = 7_461_323_017;

/**
 * The start command of Open WebUI when several tasks run: compose `REDIS_URL` (TLS, AUTH token)
 * from the endpoint and the token, then run the schema migrations under a PostgreSQL advisory
 * lock, so that tasks starting together migrate one after another (the first migrates, the others
 * find the schema current), and start Open WebUI as its image does (`bash start.sh`).
 */
export function multiTaskStartCommand(): string[] {
  const migrate = [
    'import os, psycopg2',
    'c = psycopg2.connect(host=os.environ["DATABASE_HOST"], port=os.environ["DATABASE_PORT"], dbname=os.environ["DATABASE_NAME"],'
      + ' user=os.environ["DATABASE_USER"], password=os.environ["DATABASE_PASSWORD"])',
    'c.autocommit = True',
    `c.cursor().execute("SELECT pg_advisory_lock(${MIGRATION_LOCK_ID})")`,
    // What Open WebUI's run_migrations() does at start (backend/open_webui/config.py); the lock
    // ends with the process, and the server's own run then finds the schema current.
    'from alembic import command',
    'from alembic.config import Config',
    'from open_webui.env import OPEN_WEBUI_DIR',
    'cfg = Config(str(OPEN_WEBUI_DIR / "alembic.ini"))',
    'cfg.set_main_option("script_location", str(OPEN_WEBUI_DIR / "migrations"))',
    'command.upgrade(cfg, "head")',
  ].join('\n');
  return [
    'bash', '-c',
    [
      'set -e',
      'export REDIS_URL="rediss://:${REDIS_AUTH_TOKEN}@${REDIS_ENDPOINT_HOST}:${REDIS_ENDPOINT_PORT}/0"',
      'export WEBSOCKET_REDIS_URL="$REDIS_URL"',
      `python -c '${migrate}'`,
      'exec bash start.sh',
    ].join('\n'),
  ];
}
