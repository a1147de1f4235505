/**
 * Contract test: the database restarts under a running Open WebUI (as in an RDS Multi-AZ
 * failover, every connection drops and the endpoint answers again a little later). The real Open
 * WebUI, started with the deployment's environment, secrets and start command, must answer again
 * without a restart, and its readiness must say when it cannot serve. Needs the LiteLLM and Open
 * WebUI virtual environments.
 */
import { solidPng } from './fake-aws';
import { ADMIN_PASSWORD, LocalStack, signIn } from './local-stack';

jest.setTimeout(240_000);

/** How long the database stays down: an RDS Multi-AZ failover takes one to two minutes; this is shorter, for the test's time. */
const DOWN_MS = 8_000;
/** How long Open WebUI may take to answer again once the database is back. */
const RECOVERY_LIMIT_MS = 60_000;

let stack: LocalStack;
let token: string;

beforeAll(async () => {
  stack = await LocalStack.start({ chatText: 'The stand-in answers after the failover.', png: solidPng(8, [1, 2, 3]), embeddingLength: 1024 });
  token = (await signIn(stack.webui.url, stack.adminEmail, ADMIN_PASSWORD)).token;
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

/** The status of one request to Open WebUI, bounded; 0 when it did not answer in time. */
async function status(route: string, body?: unknown): Promise<number> {
  try {
    const res = await fetch(`${stack.webui.url}${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', 'authorization': `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    await res.text();
    return res.status;
  } catch {
    return 0;
  }
}

const CHAT = { model: 'claude-haiku-4.5', stream: false, messages: [{ role: 'user', content: 'still there?' }] };

test('before: ready, and a chat works', async () => {
  expect(await status('/ready')).toBe(200);
  expect(await status('/api/chat/completions', CHAT)).toBe(200);
});

describe('while the database is down and after it is back', () => {
  const seen: Record<string, number> = {};
  let recoveredAfterMs = -1;
  const pid = () => stack.webui.pid;
  let pidBefore: number;

  beforeAll(async () => {
    pidBefore = pid();
    const restarting = stack.postgres.restart(DOWN_MS);
    await new Promise((r) => setTimeout(r, 2_000));
    seen.health = await status('/health');
    seen.ready = await status('/ready');
    seen.chats = await status('/api/v1/chats/');
    await restarting;
    const back = Date.now();
    const deadline = back + RECOVERY_LIMIT_MS;
    while (Date.now() < deadline) {
      if (await status('/ready') === 200 && await status('/api/v1/chats/') === 200) {
        recoveredAfterMs = Date.now() - back;
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    console.log(`database down: /health ${seen.health}, /ready ${seen.ready}, /api/v1/chats/ ${seen.chats}; answered again ${recoveredAfterMs} ms after the database was back`);
  }, 120_000);

  test('the process is alive (liveness) while it is not ready (readiness)', () => {
    expect(seen.health).toBe(200);
    expect(seen.ready).toBe(503);
  });

  test('a request that needs the database fails instead of hanging', () => {
    expect(seen.chats).toBeGreaterThanOrEqual(500);
  });

  test('Open WebUI answers again without a restart, within a minute', () => {
    expect(recoveredAfterMs).toBeGreaterThanOrEqual(0);
    expect(recoveredAfterMs).toBeLessThan(RECOVERY_LIMIT_MS);
    expect(pid()).toBe(pidBefore);
  });

  test('a chat works again', async () => {
    expect(await status('/api/chat/completions', CHAT)).toBe(200);
  });

  test('so the deployment checks liveness only: a readiness check would have ECS replace every task during a failover', () => {
    // ECS replaces a task that its container health check or the load balancer reports unhealthy.
    // A task recovers by itself once the database is back (above), so neither check looks at the
    // database: /ready would turn every task unhealthy during a failover of one to two minutes.
    const resources = Object.values<any>(stack.deployment.template.Resources);
    const targetGroup = resources.find((r) => r.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup');
    expect(targetGroup.Properties.HealthCheckPath).toBe('/health');
    const container = resources.flatMap((r) => (r.Type === 'AWS::ECS::TaskDefinition' ? r.Properties.ContainerDefinitions : [])).find((c) => c.Name === 'open-webui');
    expect(container.HealthCheck.Command[1]).toContain('/health ');
  });
});
