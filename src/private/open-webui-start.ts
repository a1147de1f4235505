/**
 * How the Open WebUI container starts: before the server, one short Python step migrates the
 * database schema and gives every served chat model its access, under a PostgreSQL advisory lock
 * so that tasks starting together do it one after another.
 */

/** The advisory lock id under which one Open WebUI task at a time prepares the database. */
export const MIGRATION_LOCK_ID = 7_461_323_017;

/**
 * The variable that carries the group-restricted chat models to the start step, as JSON
 * `{"<model name>": ["<group>", ...]}`. Open WebUI itself does not read it.
 */
export const MODEL_ACCESS_VARIABLE = 'CHAT_MODEL_ACCESS';

/**
 * The variable that tells the start step whether the CDK app's settings win at every start
 * (`persistentConfig: false`): `true` or `false`. Open WebUI itself does not read it.
 */
export const SETTINGS_AT_START_VARIABLE = 'RESET_SETTINGS_AT_START';

/**
 * The owner of the model entries the start step creates. No account has this id, so no user
 * gains an owner's access to a group-restricted model.
 */
export const MODEL_ENTRY_OWNER = 'cdk-bedrock-image-chat';

/** The description of the groups the start step creates for model access. */
export const MODEL_ACCESS_GROUP_DESCRIPTION = 'Created by cdk-bedrock-image-chat for model access';

/**
 * The Python that prepares the database. It runs inside `python -c '...'`, so it holds no single
 * quote.
 *
 * Open WebUI 0.12 shows a model that has no model entry in its database to admins only
 * (`get_filtered_models` in `backend/open_webui/utils/models.py`: "no access control configured
 * yet"), so a colleague the admin adds would see no model at all. The step therefore gives every
 * chat model the deployment serves (the model ids of `OPENAI_API_CONFIGS`) a model entry, as the
 * admin panel's access dialog does (`/api/v1/models/model/access/update` creates a minimal entry),
 * with a read grant for every user, or for the members of the model's groups.
 *
 * Settings live in the database (`ENABLE_PERSISTENT_CONFIG=true`), where every task reads them:
 * with settings kept in each process, a change in the admin panel would reach only the task that
 * served it (test/contract/open-webui.replicas.test.ts). With `RESET_SETTINGS_AT_START=true`
 * (`persistentConfig: false`) the step removes the saved settings at each start, so that the
 * server seeds them all from its environment again, and writes the grants, so the CDK app decides;
 * otherwise only a setting or a model without a row gets it, and the admin panel decides afterwards.
 * `BYPASS_MODEL_ACCESS_CONTROL` would also show the models to everyone, but it shows every
 * model, including an admin's private workspace models, and leaves no way to restrict one.
 */
const PREPARE_DATABASE = [
  'import asyncio, json, os, psycopg2',
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
  // Model access, through Open WebUI's own data model (the tables of the migrated schema).
  'from open_webui.models.access_grants import AccessGrants',
  'from open_webui.models.groups import GroupForm, Groups',
  'from open_webui.models.models import ModelForm, ModelMeta, ModelParams, Models',
  'async def grant_model_access():',
  '    served = json.loads(os.environ["OPENAI_API_CONFIGS"])["0"]["model_ids"]',
  `    restricted = json.loads(os.environ.get("${MODEL_ACCESS_VARIABLE}", "{}"))`,
  `    decided_here = os.environ.get("${SETTINGS_AT_START_VARIABLE}", "false") == "true"`,
  '    groups = {g.name: g.id for g in await Groups.get_all_groups()}',
  '    for name in sorted({g for names in restricted.values() for g in names} - groups.keys()):',
  `        groups[name] = (await Groups.insert_new_group("${MODEL_ENTRY_OWNER}", GroupForm(name=name, description="${MODEL_ACCESS_GROUP_DESCRIPTION}"))).id`,
  '    everyone = [{"principal_type": "user", "principal_id": "*", "permission": "read"}]',
  '    for model_id in served:',
  '        grants = [{"principal_type": "group", "principal_id": groups[g], "permission": "read"} for g in restricted[model_id]] if model_id in restricted else everyone',
  '        if await Models.get_model_by_id(model_id) is None:',
  `            await Models.insert_new_model(ModelForm(id=model_id, name=model_id, meta=ModelMeta(), params=ModelParams(), access_grants=grants), "${MODEL_ENTRY_OWNER}")`,
  '        elif decided_here:',
  '            await AccessGrants.set_access_grants("model", model_id, grants)',
  'asyncio.run(grant_model_access())',
  // The settings the admin panel saved, removed: the server then seeds every setting from its
  // environment (seed_registered_defaults at start), and a running task reads a setting that has
  // no row as its own environment gives it, the same for every task.
  `if os.environ.get("${SETTINGS_AT_START_VARIABLE}", "false") == "true":`,
  '    c.cursor().execute("DELETE FROM config")',
].join('\n');

/** The start command of the Open WebUI container. */
export interface OpenWebUIStartOptions {
  /** Several tasks share Redis: compose `REDIS_URL` (TLS, AUTH token) from the endpoint and the token. */
  readonly redis: boolean;
}

/**
 * The start command of the Open WebUI container: compose `REDIS_URL` when several tasks run,
 * prepare the database (schema migrations and model access, under the advisory lock), then start
 * Open WebUI as its image does (`bash start.sh`).
 */
export function openWebUIStartCommand(options: OpenWebUIStartOptions): string[] {
  return [
    'bash', '-c',
    [
      'set -e',
      ...(options.redis ? [
        'export REDIS_URL="rediss://:${REDIS_AUTH_TOKEN}@${REDIS_ENDPOINT_HOST}:${REDIS_ENDPOINT_PORT}/0"',
        'export WEBSOCKET_REDIS_URL="$REDIS_URL"',
      ] : []),
      `python -c '${PREPARE_DATABASE}'`,
      'exec bash start.sh',
    ].join('\n'),
  ];
}
