/**
 * Replaces what stands between two marker comments of README.md (a generated table or session);
 * fails when the markers are missing, so a generator never writes into the wrong place.
 */
export function replaceBlock(readme: string, [start, end]: readonly [string, string], content: string): string {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no '${start}' ... '${end}' block`);
  return `${readme.substring(0, from + start.length)}\n${content}\n${readme.substring(to)}`;
}
