import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { BedrockModelKind } from '../bedrock-model';
import { LiteLLMService } from '../litellm-service';
import { OpenWebUIService } from '../open-webui-service';
import { defaultModels } from '../private/default-models';
import { renderLiteLLMConfig } from '../private/litellm-config';
import { renderOpenWebUIEnvironment } from '../private/open-webui-environment';

/**
 * The app on a laptop: the same pinned LiteLLM and Open WebUI images, the LiteLLM configuration
 * and the Open WebUI settings rendered by the code the constructs use, for the region's default
 * models (with internet access, as a laptop has), calling Bedrock with the user's AWS credentials.
 * Open WebUI keeps its data in SQLite and Chroma in a Docker volume instead of PostgreSQL.
 */

export interface LocalOptions {
  readonly region: string;
  readonly profile?: string;
  /** The port Open WebUI listens on, on localhost. */
  readonly port: number;
}

export interface LocalSetup {
  readonly compose: any;
  readonly litellmConfig: any;
  /** The display names of the models LiteLLM serves. */
  readonly models: string[];
  readonly adminEmail: string;
}

const LITELLM_URL = 'http://litellm:4000/v1';
/** The first admin (Open WebUI accepts `@localhost` addresses as valid). */
export const LOCAL_ADMIN_EMAIL = 'admin@localhost';
/** The variables of `.env`: generated secrets that compose interpolates. */
export const LOCAL_SECRETS = ['LITELLM_MASTER_KEY', 'WEBUI_SECRET_KEY', 'WEBUI_ADMIN_PASSWORD'];

/** The settings of a deployment that need PostgreSQL or HTTPS; locally Open WebUI's defaults apply. */
const DEPLOYMENT_ONLY = ['DATABASE_TYPE', 'DATABASE_HOST', 'DATABASE_PORT', 'DATABASE_NAME', 'VECTOR_DB', 'PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH'];

export function renderLocalSetup(options: LocalOptions): LocalSetup {
  const { models } = defaultModels(options.region, true);
  const { config } = renderLiteLLMConfig(models);
  const image = models.find((m) => m.kind === BedrockModelKind.IMAGE);
  const environment = renderOpenWebUIEnvironment({
    adminEmail: LOCAL_ADMIN_EMAIL,
    litellmUrl: LITELLM_URL,
    chatModelNames: models.filter((m) => m.kind === BedrockModelKind.CHAT).map((m) => m.displayName),
    // One person on a laptop, the admin, who sees every model.
    restrictedModels: {},
    imageModel: image,
    imageSize: '1024x1024',
    embeddingModel: models.find((m) => m.kind === BedrockModelKind.EMBEDDING)!,
    publicUrl: `http://localhost:${options.port}`,
    persistentConfig: false,
    nativeFunctionCalling: false,
    retrievalQueryGeneration: false,
    databaseHost: '',
    databasePort: '',
    databaseName: '',
  });
  for (const name of DEPLOYMENT_ONLY) delete environment[name];
  const aws = {
    AWS_REGION: options.region,
    ...(options.profile !== undefined ? { AWS_PROFILE: options.profile } : {}),
    // Credentials from the shell, when set (for example `aws configure export-credentials --format env`) ...
    AWS_ACCESS_KEY_ID: '${AWS_ACCESS_KEY_ID:-}',
    AWS_SECRET_ACCESS_KEY: '${AWS_SECRET_ACCESS_KEY:-}',
    AWS_SESSION_TOKEN: '${AWS_SESSION_TOKEN:-}',
    // ... else from the shared files.
    AWS_CONFIG_FILE: '/aws/config',
    AWS_SHARED_CREDENTIALS_FILE: '/aws/credentials',
  };
  const compose = {
    name: 'bedrock-image-chat',
    services: {
      'litellm': {
        image: LiteLLMService.DEFAULT_IMAGE,
        command: ['--config', '/app/config.yaml', '--port', '4000'],
        environment: { ...aws, LITELLM_MASTER_KEY: '${LITELLM_MASTER_KEY:?run the local command again}' },
        volumes: ['./litellm-config.yaml:/app/config.yaml:ro', '${HOME}/.aws:/aws:ro'],
        restart: 'unless-stopped',
      },
      'open-webui': {
        image: OpenWebUIService.DEFAULT_IMAGE,
        ports: [`127.0.0.1:${options.port}:8080`],
        environment: {
          ...environment,
          WEBUI_SECRET_KEY: '${WEBUI_SECRET_KEY:?run the local command again}',
          WEBUI_ADMIN_PASSWORD: '${WEBUI_ADMIN_PASSWORD:?run the local command again}',
          OPENAI_API_KEY: '${LITELLM_MASTER_KEY}',
          IMAGES_OPENAI_API_KEY: '${LITELLM_MASTER_KEY}',
          RAG_OPENAI_API_KEY: '${LITELLM_MASTER_KEY}',
        },
        volumes: ['open-webui-data:/app/backend/data'],
        depends_on: ['litellm'],
        restart: 'unless-stopped',
      },
    },
    volumes: { 'open-webui-data': {} },
  };
  return { compose, litellmConfig: config, models: models.map((m) => m.displayName), adminEmail: LOCAL_ADMIN_EMAIL };
}

/**
 * Writes compose.yaml and litellm-config.yaml (JSON, which YAML reads) and, once, `.env` with
 * generated secrets (kept on later runs, so the admin password stays the same).
 */
export function writeLocalSetup(options: LocalOptions & { readonly dir: string }): { files: string[]; models: string[]; adminEmail: string } {
  const setup = renderLocalSetup(options);
  fs.mkdirSync(options.dir, { recursive: true });
  const files = ['compose.yaml', 'litellm-config.yaml'];
  fs.writeFileSync(path.join(options.dir, 'compose.yaml'), `${JSON.stringify(setup.compose, null, 2)}\n`);
  fs.writeFileSync(path.join(options.dir, 'litellm-config.yaml'), `${JSON.stringify(setup.litellmConfig, null, 2)}\n`);
  const envFile = path.join(options.dir, '.env');
  if (!fs.existsSync(envFile)) {
    const secret = () => crypto.randomBytes(24).toString('base64url');
    fs.writeFileSync(envFile, LOCAL_SECRETS.map((name) => `${name}=${name === 'LITELLM_MASTER_KEY' ? `sk-${secret()}` : secret()}`).join('\n') + '\n', { mode: 0o600 });
    files.push('.env');
  }
  return { files, models: setup.models, adminEmail: setup.adminEmail };
}
