/**
 * How much of everything `BedrockImageChat` runs: tasks, their size, the database and, with more
 * than one Open WebUI task, Redis. Every value can be overridden by its own prop. Every size runs
 * tasks of the same size, one worker each, and the larger sizes more of them: measured, a worker
 * uses about a third of its vCPU at the most users it serves, so a larger task would pay for CPU
 * that idles (see the sizes table of docs/operations.md for the users measured).
 *
 * | | SMALL | MEDIUM | LARGE |
 * | --- | --- | --- | --- |
 * | For | trials, under 10 users | teams of 10-30 | 30-100 users |
 * | Open WebUI | 1 vCPU, 2 GiB, 1 task | 1 vCPU, 2 GiB, 2-6 tasks | 1 vCPU, 2 GiB, 3-10 tasks |
 * | LiteLLM | 0.5 vCPU, 1 GiB, 1-2 tasks | 0.5 vCPU, 1 GiB, 2-6 tasks | 0.5 vCPU, 1 GiB, 3-10 tasks |
 * | PostgreSQL | db.t4g.small, one zone | db.t4g.medium, Multi-AZ | db.m7g.large, Multi-AZ |
 * | Redis (Valkey) | none | cache.t4g.micro, 2 nodes in 2 zones | cache.t4g.small, 2 nodes in 2 zones |
 */
export enum DeploymentSize {
  /** One Open WebUI task, a single-AZ database: the lowest cost, for trials and small groups. */
  SMALL = 'SMALL',
  /** Two to six Open WebUI tasks across zones, Redis, a Multi-AZ database: for teams. */
  MEDIUM = 'MEDIUM',
  /** Three to ten Open WebUI tasks, Redis, a larger Multi-AZ database. */
  LARGE = 'LARGE',
}
