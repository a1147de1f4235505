import * as fs from 'fs';
import { PAGE, renderPage, renderSessions } from './cli-sessions';

jest.setTimeout(180_000);

test('the CLI sessions are what the commands print against the local Bedrock stand-in (run `npx projen docs:cli` after a change)', async () => {
  const page = fs.readFileSync(PAGE, 'utf-8');
  expect(renderPage(page, await renderSessions())).toEqual(page);
});
