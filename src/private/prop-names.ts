/**
 * How the user wrote the props a construct passes on to another one, so that the inner
 * construct's errors name them as written: `BedrockImageChat` passes `openWebUI.scaling` to
 * `OpenWebUIService` as `scaling`, and an error about it must say `openWebUI.scaling`.
 */
const WRITTEN_AS = new WeakMap<object, Readonly<Record<string, string>>>();

/** Records that each prop of `props` was written as `paths[prop]` (others as themselves); returns `props`. */
export function writtenAs<T extends object>(props: T, paths: Readonly<Record<string, string>>): T {
  WRITTEN_AS.set(props, paths);
  return props;
}

/** The name of `prop` of `props` as the user wrote it. */
export function propName(props: object, prop: string): string {
  return WRITTEN_AS.get(props)?.[prop] ?? prop;
}

/** The paths of a group's props for `writtenAs`: `{ cpu: 'litellm.cpu', ... }`. */
export function groupPaths(group: string, props: readonly string[]): Record<string, string> {
  return Object.fromEntries(props.map((p) => [p, `${group}.${p}`]));
}
