import * as fs from 'fs';
import { README, renderReadme, renderSessions } from './cli-sessions';

jest.setTimeout(180_000);

test('the README\'s CLI sessions are what the commands print against the local Bedrock stand-in (run `npx projen docs:cli` after a change)', async () => {
  const readme = fs.readFileSync(README, 'utf-8');
  expect(renderReadme(readme, await renderSessions())).toEqual(readme);
});
