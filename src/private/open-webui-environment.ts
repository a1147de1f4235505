import { BedrockModel } from '../bedrock-model';
import { SignInConfig } from '../sign-in';
import { DATABASE_POOL, PGVECTOR_POOL } from './database-connections';
import { imageRequestFor } from './image-size';
import { ROUTER_SETTINGS } from './litellm-config';
import { MODEL_ACCESS_VARIABLE } from './open-webui-start';

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
  /** The group-restricted chat models: display name -> the groups whose members may use it. */
  readonly restrictedModels: Record<string, string[]>;
  /** The image model; without one, image generation is off. */
  readonly imageModel?: BedrockModel;
  /** The chat model of Open WebUI's own work (titles, tags, follow-ups, queries). */
  readonly taskModel?: BedrockModel;
  readonly imageSize: string;
  readonly embeddingModel: BedrockModel;
  /** The address users open (`https://...`), or undefined when the service sits behind a load balancer the construct does not know. */
  readonly publicUrl?: string;
  readonly persistentConfig: boolean;
  readonly nativeFunctionCalling: boolean;
  /** Whether the task model writes the search queries of a question about documents. */
  readonly retrievalQueryGeneration: boolean;
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
 * What a user who is not an admin may do, decided for a private company deployment. Every value
 * is Open WebUI 0.12's own default; they are set so that the decision shows in the task definition
 * and holds when an upgrade changes a default (the names test fails when one stops being read).
 * Chatting, image generation, file upload, memories, temporary chats, sharing a chat with
 * colleagues who are signed in, and the in-browser code interpreter stay on (Open WebUI's
 * defaults, not set here).
 */
export const USER_PERMISSIONS: Record<string, string> = {
  // Tools and skills are Python that runs in the Open WebUI task, beside the proxy key and the
  // database password: only admins may write them.
  USER_PERMISSIONS_WORKSPACE_TOOLS_ACCESS: 'false',
  USER_PERMISSIONS_WORKSPACE_SKILLS_ACCESS: 'false',
  // Custom models, knowledge bases and prompt libraries are curated by admins, who can open them
  // to a group in the admin panel (Users > Groups > permissions).
  USER_PERMISSIONS_WORKSPACE_MODELS_ACCESS: 'false',
  USER_PERMISSIONS_WORKSPACE_KNOWLEDGE_ACCESS: 'false',
  USER_PERMISSIONS_WORKSPACE_PROMPTS_ACCESS: 'false',
  // Nothing leaves the company: no chat is shared with people who are not signed in, and the
  // browser connects to no tool server of a user's choosing.
  USER_PERMISSIONS_CHAT_ALLOW_PUBLIC_SHARING: 'false',
  USER_PERMISSIONS_FEATURES_DIRECT_TOOL_SERVERS: 'false',
  // No personal API keys: people use the app through the browser, where sign-in, model access
  // and the load balancer's protections apply.
  USER_PERMISSIONS_FEATURES_API_KEYS: 'false',
  // Scheduled chats and outgoing webhooks would run unattended, at Bedrock's prices.
  USER_PERMISSIONS_FEATURES_AUTOMATIONS: 'false',
  USER_PERMISSIONS_FEATURES_USER_WEBHOOKS: 'false',
};

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
    ...USER_PERMISSIONS,
    // Read by the start step (src/private/open-webui-start.ts), which gives every other chat model
    // a read grant for every user.
    ...(Object.keys(input.restrictedModels).length > 0 ? { [MODEL_ACCESS_VARIABLE]: JSON.stringify(input.restrictedModels) } : {}),

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
    // Titles, tags, follow-up suggestions and queries on one low-cost model, not on each chat's.
    ...(input.taskModel !== undefined ? { TASK_MODEL_EXTERNAL: input.taskModel.displayName } : {}),
    // Open WebUI waits for LiteLLM without any limit by default. A proxy task that dies without
    // closing its connections (its host lost) would leave an answer spinning for good: give up
    // after this long without a byte, longer than the proxy's own limits (ROUTER_SETTINGS: 60 s
    // between streamed words, 120 s for a whole call), so the proxy's clearer error comes first.
    AIOHTTP_CLIENT_STREAM_IDLE_TIMEOUT: String(ROUTER_SETTINGS.timeout + 10),
    // Since 0.10 Open WebUI defaults to native function calling: the model gets 27 built-in
    // tools on every turn and the image button no longer forces an image. 'legacy' keeps the
    // button's promise (it always draws) and the prompts small; see nativeFunctionCalling.
    ...(input.nativeFunctionCalling ? {} : { DEFAULT_MODEL_PARAMS: JSON.stringify({ function_calling: 'legacy' }) }),
    // A question about documents searches them with its own words, not with queries the task
    // model writes first (a whole model call before the first word); see retrievalQueryGeneration.
    ENABLE_RETRIEVAL_QUERY_GENERATION: String(input.retrievalQueryGeneration),

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
    // Bounded pools, so that every task the service may run fits in the database's connections
    // (checked at synth, database-connections.ts).
    DATABASE_POOL_SIZE: String(DATABASE_POOL.size),
    DATABASE_POOL_MAX_OVERFLOW: String(DATABASE_POOL.overflow),
    PGVECTOR_POOL_SIZE: String(PGVECTOR_POOL.size),
    PGVECTOR_POOL_MAX_OVERFLOW: String(PGVECTOR_POOL.overflow),
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
    // Each user's groups follow the claim at every sign-in (groups are matched by name; Open WebUI
    // creates none, so only groups that exist, such as those of model access, are joined).
    ...(o.groupClaim !== undefined ? {
      ENABLE_OAUTH_GROUP_MANAGEMENT: 'true',
      OAUTH_GROUPS_CLAIM: o.groupClaim,
      ENABLE_OAUTH_GROUP_CREATION: 'false',
    } : {}),
  };
}
