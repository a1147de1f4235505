/**
 * The public API's shape, read from the sources with the TypeScript compiler: a short list of
 * grouped props on the L3, the same option types on the L3 and the services, and error paths
 * that cover every grouped prop.
 */
import * as path from 'path';
import * as ts from 'typescript';
import { LITELLM_OPTIONS, OPEN_WEBUI_OPTIONS } from '../src/private/chat-options';

const program = ts.createProgram([path.join(__dirname, '..', 'src', 'index.ts')], { strict: true, target: ts.ScriptTarget.ES2020, skipLibCheck: true });
const checker = program.getTypeChecker();
const index = program.getSourceFile(path.join(__dirname, '..', 'src', 'index.ts'))!;
const exported = new Map(checker.getExportsOfModule(checker.getSymbolAtLocation(index)!).map((s) => [s.getName(), s]));

function typeOf(name: string): ts.Type {
  const symbol = exported.get(name);
  if (symbol === undefined) throw new Error(`${name} is not exported from src/index.ts`);
  return checker.getDeclaredTypeOfSymbol(symbol);
}

/** The props of an interface, inherited ones included. */
const propsOf = (name: string) => checker.getPropertiesOfType(typeOf(name)).map((p) => p.getName()).sort();

/** The declared type of one prop, by name (`LiteLLMOptions`). */
function propType(iface: string, prop: string): string {
  const symbol = checker.getPropertyOfType(typeOf(iface), prop)!;
  const declaration = symbol.valueDeclaration as ts.PropertySignature;
  return declaration.type!.getText();
}

test('BedrockImageChatProps has at most 20 top-level props, vpc, models and signIn among them', () => {
  const props = propsOf('BedrockImageChatProps');
  expect(props.length).toBeLessThanOrEqual(20);
  expect(props).toEqual(expect.arrayContaining(['vpc', 'models', 'signIn', 'network', 'frontDoor', 'litellm', 'openWebUI', 'database']));
});

test.each([
  ['litellm', 'LiteLLMOptions', 'LiteLLMServiceProps'],
  ['openWebUI', 'OpenWebUIOptions', 'OpenWebUIServiceProps'],
  ['database', 'DatabaseOptions', 'OpenWebUIServiceProps'],
])('the L3 takes %s as %s, which %s takes too', (prop, optionsType, serviceProps) => {
  expect(propType('BedrockImageChatProps', prop)).toBe(optionsType);
  const service = propsOf(serviceProps);
  if (prop === 'database') {
    expect(propType(serviceProps, 'database')).toBe(optionsType);
  } else {
    expect(service).toEqual(expect.arrayContaining(propsOf(optionsType)));
  }
});

test('one name per concept: the services take taskSubnets, as the L3 network does', () => {
  for (const props of ['LiteLLMServiceProps', 'OpenWebUIServiceProps', 'NetworkOptions']) {
    expect(propsOf(props)).toContain('taskSubnets');
    expect(propsOf(props)).not.toContain('vpcSubnets');
  }
});

test.each([
  ['litellm', LITELLM_OPTIONS, 'LiteLLMOptions'],
  ['openWebUI', OPEN_WEBUI_OPTIONS, 'OpenWebUIOptions'],
])('errors name every prop of %s with its group (the list matches the interface)', (_group, names, type) => {
  expect([...names].sort()).toEqual(propsOf(type));
});

test('BedrockModel keeps LiteLLM internals out of its public API', () => {
  const props = propsOf('BedrockModel');
  expect(props.filter((p) => /litellm/i.test(p) && !p.startsWith('_'))).toEqual([]);
});
