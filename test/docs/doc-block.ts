import * as fs from 'fs';
import * as path from 'path';

/** A guide page under docs/, where a generated table or session lives. */
export function docPage(name: string): string {
  return path.join(__dirname, '..', '..', 'docs', name);
}

/**
 * Replaces what stands between two marker comments of a page (a generated table or session);
 * fails when the markers are missing, so a generator never writes into the wrong place.
 */
export function replaceBlock(page: string, [start, end]: readonly [string, string], content: string): string {
  const from = page.indexOf(start);
  const to = page.indexOf(end);
  if (from < 0 || to < from) throw new Error(`the page has no '${start}' ... '${end}' block`);
  return `${page.substring(0, from + start.length)}\n${content}\n${page.substring(to)}`;
}

/** Writes a page with its blocks rendered again (the generators' `npx projen docs:*` tasks). */
export function rewritePage(file: string, render: (page: string) => string, what: string): void {
  fs.writeFileSync(file, render(fs.readFileSync(file, 'utf-8')));
  console.log(`${path.relative(path.join(__dirname, '..', '..'), file)}: ${what}`);
}
