import * as fs from 'fs';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { docPage } from './doc-block';
import { BedrockImageChat } from '../../src';
import { SYNTH_COST_MARKERS } from '../bench/synth-markers';

test('the synth cost in docs/verification.md is of the default deployment as it is now (run `npm run bench -- --write` after a change)', () => {
  const page = fs.readFileSync(docPage('verification.md'), 'utf-8');
  const block = page.substring(page.indexOf(SYNTH_COST_MARKERS[0]), page.indexOf(SYNTH_COST_MARKERS[1]));
  const row = block.split('\n').find((line) => line.startsWith('| `new BedrockImageChat'));
  expect(row).toBeDefined();
  const stack = new Stack(new App(), 'Bench');
  new BedrockImageChat(stack, 'Chat');
  const resources = Object.keys(Template.fromStack(stack).toJSON().Resources).length;
  expect(row!.split('|').map((cell) => cell.trim())[4]).toEqual(String(resources));
});
