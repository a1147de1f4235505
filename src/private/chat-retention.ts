import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { acknowledgeRules, cfnOf, ECS2_REASON } from './acknowledgements';

/** The variable that tells the retention step how many days a chat is kept after its last change. */
export const RETENTION_DAYS_VARIABLE = 'CHAT_RETENTION_DAYS';

/** The name of the retention task's container. */
export const RETENTION_CONTAINER = 'chat-retention';

/**
 * The Python of the daily retention task, through Open WebUI's own data model and storage code,
 * as its API's delete handlers use them (`DELETE /api/v1/chats/{id}` and `DELETE /api/v1/files/{id}`
 * in `backend/open_webui/routers/`), never SQL of its own:
 *
 * - A chat whose last change (`updated_at`) is older than the retention goes, archived, pinned and
 *   shared ones too (its shared copy goes with it, so a share link stops working), with the
 *   internal chats spawned from it and the tags only it used.
 * - So do the files it holds (uploaded documents and generated images: the files of its messages
 *   and the chat-file links), from the database, the file store and the vector store, unless
 *   another, kept chat holds the file too, a knowledge base holds it, or another user owns it.
 * - It prints one JSON line of what it did.
 */
export const RETENTION_SCRIPT = [
  'import asyncio, json, os, re, time',
  'from open_webui.models.chats import Chats',
  'from open_webui.models.files import Files',
  'from open_webui.models.knowledge import Knowledges',
  'from open_webui.retrieval.vector.async_client import ASYNC_VECTOR_DB_CLIENT',
  'from open_webui.storage.provider import Storage',
  'FILE_URL = re.compile(r"/api/v1/files/([0-9a-fA-F-]{36})")',
  'def message_file_ids(chat):',
  '    data = chat.chat or {}',
  '    messages = list(((data.get("history") or {}).get("messages") or {}).values()) + list(data.get("messages") or [])',
  '    ids = set()',
  '    for m in messages:',
  '        for f in m.get("files") or []:',
  '            if isinstance(f, dict):',
  '                ids.update(i for i in [f.get("id"), (f.get("file") or {}).get("id")] if i)',
  '                ids.update(FILE_URL.findall(str(f.get("url") or "")))',
  '        ids.update(FILE_URL.findall(str(m.get("content") or "")))',
  '    return ids',
  'async def linked_file_ids(chat):',
  '    messages = ((chat.chat or {}).get("history") or {}).get("messages") or {}',
  '    ids = set()',
  '    for message_id in messages:',
  '        ids.update(link.file_id for link in await Chats.get_chat_files_by_chat_id_and_message_id(chat.id, message_id))',
  '    return ids',
  'async def delete_file(file_id):',
  '    file = await Files.get_file_by_id(file_id)',
  '    if file is None or await Knowledges.get_knowledges_by_file_id(file_id):',
  '        return False',
  '    if not await Files.delete_file_by_id(file_id):',
  '        return False',
  '    await asyncio.to_thread(Storage.delete_file, file.path)',
  '    await ASYNC_VECTOR_DB_CLIENT.delete(collection_name=f"file-{file_id}")',
  '    return True',
  'async def main():',
  `    cutoff = int(time.time()) - int(os.environ["${RETENTION_DAYS_VARIABLE}"]) * 86400`,
  '    chats = await Chats.get_chats()',
  '    old = [c for c in chats if c.updated_at < cutoff]',
  '    kept_files = set()',
  '    for c in chats:',
  '        if c.updated_at >= cutoff:',
  '            kept_files |= message_file_ids(c) | await linked_file_ids(c)',
  '    deleted_chats, deleted_files, kept = 0, 0, 0',
  '    for chat in old:',
  '        files = message_file_ids(chat) | await linked_file_ids(chat)',
  '        await Chats.delete_orphan_tags_for_user((chat.meta or {}).get("tags", []), chat.user_id, threshold=1)',
  '        for child_id in await Chats.get_internal_chat_ids_by_parent_id(chat.id, chat.user_id):',
  '            child = await Chats.get_chat_by_id(child_id)',
  '            if child is not None:',
  '                files |= message_file_ids(child) | await linked_file_ids(child)',
  '            await Chats.delete_chat_by_id_and_user_id(child_id, chat.user_id)',
  '        if not await Chats.delete_chat_by_id(chat.id):',
  '            continue',
  '        deleted_chats += 1',
  '        kept += len(files & kept_files)',
  '        for file_id in sorted(files - kept_files):',
  '            file = await Files.get_file_by_id(file_id)',
  '            if file is not None and file.user_id == chat.user_id and await delete_file(file_id):',
  '                deleted_files += 1',
  '            elif file is not None:',
  '                kept += 1',
  '    print(json.dumps({"chatRetentionDays": int(os.environ["' + RETENTION_DAYS_VARIABLE + '"]), "cutoff": cutoff, "deletedChats": deleted_chats,'
    + ' "deletedFiles": deleted_files, "filesKeptInUse": kept}), flush=True)',
  'asyncio.run(main())',
].join('\n');

/** The retention's days, checked: whole days, at least one. */
export function retentionDays(prop: string, retention: Duration | undefined): number | undefined {
  if (retention === undefined) return undefined;
  if (Token.isUnresolved(retention.toSeconds())) {
    throw new Error(`${prop} is a token; give a Duration known at synth time, for example Duration.days(90)`);
  }
  const days = retention.toDays({ integral: false });
  if (days < 1 || !Number.isInteger(days)) {
    throw new Error(`${prop} is ${retention.toHumanString()}; give whole days, at least Duration.days(1)`);
  }
  return days;
}

/** What the retention task runs with: the Open WebUI container's settings and the service's network. */
export interface ChatRetentionInput {
  readonly days: number;
  readonly cluster: ecs.ICluster;
  /** The Open WebUI service's task definition: its roles, platform and data volume are shared. */
  readonly serviceTask: ecs.FargateTaskDefinition;
  readonly image: ecs.ContainerImage;
  readonly logGroup: logs.ILogGroup;
  readonly environment: Record<string, string>;
  readonly secrets: { [name: string]: ecs.Secret };
  readonly cpuArchitecture: ecs.CpuArchitecture;
  /** Gives a task definition Open WebUI's files; returns the volume to mount, with a file system. */
  readonly addFiles: (taskDefinition: ecs.FargateTaskDefinition) => string | undefined;
  /** Where Open WebUI keeps its files (the volume's mount path). */
  readonly dataPath: string;
  readonly subnets: ec2.SubnetSelection;
  readonly securityGroups: ec2.ISecurityGroup[];
}

/**
 * A task definition that runs {@link RETENTION_SCRIPT} with the Open WebUI container's image,
 * settings, secrets, roles and files, and an EventBridge Scheduler schedule that starts it every
 * day at 03:30 UTC in the service's subnets and security groups.
 */
export function scheduleChatRetention(
  scope: Construct,
  input: ChatRetentionInput,
): { taskDefinition: ecs.FargateTaskDefinition; schedule: scheduler.Schedule } {
  const service = input.serviceTask;
  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'ChatRetentionTask', {
    cpu: 512,
    memoryLimitMiB: 2048,
    taskRole: service.taskRole,
    executionRole: service.executionRole,
    runtimePlatform: { cpuArchitecture: input.cpuArchitecture, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
  });
  acknowledgeRules(cfnOf(taskDefinition), { 'AwsSolutions-ECS2': ECS2_REASON });
  const dataVolume = input.addFiles(taskDefinition);
  const container = taskDefinition.addContainer(RETENTION_CONTAINER, {
    image: input.image,
    command: ['python', '-c', RETENTION_SCRIPT],
    environment: { ...input.environment, [RETENTION_DAYS_VARIABLE]: String(input.days) },
    secrets: input.secrets,
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: RETENTION_CONTAINER, logGroup: input.logGroup }),
  });
  if (dataVolume !== undefined) container.addMountPoints({ containerPath: input.dataPath, sourceVolume: dataVolume, readOnly: false });
  const schedule = new scheduler.Schedule(scope, 'ChatRetentionSchedule', {
    description: `Deletes Open WebUI chats (and their files) not changed for ${input.days} days`,
    schedule: scheduler.ScheduleExpression.cron({ minute: '30', hour: '3' }),
    target: new targets.EcsRunFargateTask(input.cluster, {
      taskDefinition,
      vpcSubnets: input.subnets,
      securityGroups: input.securityGroups,
      assignPublicIp: false,
      retryAttempts: 2,
    }),
  });
  return { taskDefinition, schedule };
}
