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
 * with a read grant for every user, or for the members of the model's groups. With
 * `ENABLE_PERSISTENT_CONFIG=false` the grants are written at every start, so the CDK app decides;
 * otherwise only a model without an entry gets them, and the admin panel decides afterwards.
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
  '    decided_here = os.environ.get("ENABLE_PERSISTENT_CONFIG", "true").lower() != "true"',
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
].join('\n');

/**
 * How long a stopping task waits for the answers it is still streaming. ECS sends SIGTERM, then
 * SIGKILL after the container's stop timeout (120 s, the most Fargate allows): the wait, the
 * cancellation of what is left and the shutdown fit in it.
 */
export const ANSWER_DRAIN_SECONDS = 100;

/**
 * The seconds the server keeps an idle connection open: above the load balancer's idle timeout
 * (120 s), so the task never closes a connection the load balancer is about to reuse (which the
 * load balancer answers with a 502). uvicorn's default is 5 s.
 */
export const KEEP_ALIVE_SECONDS = 125;

/**
 * The Python that runs the server, as the image's `start.sh` does (uvicorn, `open_webui.main:app`,
 * one worker, every proxy address trusted for forwarded headers, behind the load balancer), with two
 * changes. Keep-alive outlasts the load balancer's idle timeout. And a stop lets answers finish:
 * ECS sends SIGTERM once the load balancer has drained the task of requests, but Open WebUI
 * streams each answer from a background task that outlives its request, which uvicorn's shutdown
 * would cut off, leaving the message unfinished for good. So the server first waits for those
 * tasks (`open_webui.tasks.tasks`), then cancels any still running (Open WebUI then saves what was
 * written and tells the user's browser, through Redis, that the answer stopped), then shuts down.
 */
const SERVE = [
  'import asyncio, os, time, uvicorn',
  'from open_webui import tasks',
  'class Server(uvicorn.Server):',
  '    async def shutdown(self, sockets=None):',
  '        running = lambda: [t for t in tasks.tasks.values() if not t.done()]',
  `        deadline = time.monotonic() + ${ANSWER_DRAIN_SECONDS}`,
  '        while running() and time.monotonic() < deadline:',
  '            await asyncio.sleep(0.5)',
  '        left = running()',
  '        for t in left:',
  '            t.cancel()',
  '        if left:',
  '            await asyncio.wait(left, timeout=5)',
  '        await super().shutdown(sockets)',
  'config = uvicorn.Config("open_webui.main:app", host=os.environ.get("HOST", "0.0.0.0"), port=int(os.environ.get("PORT", "8080")),',
  `    forwarded_allow_ips="*", timeout_keep_alive=${KEEP_ALIVE_SECONDS})`,
  'Server(config).run()',
].join('\n');

/** The start command of the Open WebUI container. */
export interface OpenWebUIStartOptions {
  /** Several tasks share Redis: compose `REDIS_URL` (TLS, AUTH token) from the endpoint and the token. */
  readonly redis: boolean;
}

/**
 * The start command of the Open WebUI container: compose `REDIS_URL` when several tasks run,
 * prepare the database (schema migrations and model access, under the advisory lock), then run
 * the server ({@link SERVE}) as the container's main process, which receives ECS's SIGTERM.
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
      `exec python -c '${SERVE}'`,
    ].join('\n'),
  ];
}
