/**
 * No pinned upstream version falls inside a known advisory range (test/upstream/advisories.json).
 * The versions come from the images the constructs deploy and from the releases the contract
 * tests install, which must be the same.
 */
import * as semver from 'semver';
import { LiteLLMService, OpenWebUIService } from '../../src';
import { installedLiteLLMVersion } from '../contract/litellm-proxy';
import { installedOpenWebUIVersion } from '../contract/open-webui';

interface Advisory {
  readonly package: string;
  readonly id: string;
  readonly affected: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const table: { advisories: Advisory[] } = require('./advisories.json');

/** The advisories of `pkg` whose range holds `version`. */
function advisoriesFor(pkg: string, version: string): string[] {
  return table.advisories.filter((a) => a.package === pkg && semver.satisfies(version, a.affected)).map((a) => `${a.id} (${a.affected})`);
}

function tagVersion(image: string): string {
  const version = semver.valid(semver.coerce(image.split(':').pop()!));
  if (!version) throw new Error(`no version in the image tag of ${image}`);
  return version;
}

const pinned: [string, string, () => string][] = [
  ['litellm', LiteLLMService.DEFAULT_IMAGE, installedLiteLLMVersion],
  ['open-webui', OpenWebUIService.DEFAULT_IMAGE, installedOpenWebUIVersion],
];

describe.each(pinned)('%s', (pkg, image, installed) => {
  test('every range in the table is valid and the table covers the package', () => {
    const own = table.advisories.filter((a) => a.package === pkg);
    expect(own.length).toBeGreaterThan(0);
    for (const a of own) expect(semver.validRange(a.affected)).not.toBeNull();
  });

  test(`the image ${image} is outside every known advisory range`, () => {
    expect(advisoriesFor(pkg, tagVersion(image))).toEqual([]);
  });

  test('the contract tests run the same release as the image', () => {
    expect(installed()).toBe(tagVersion(image));
  });
});

test('the check catches the versions this library deployed before (it can fail)', () => {
  expect(advisoriesFor('litellm', '1.83.14')).toContain('CVE-2026-49468 (<1.84.0)');
  expect(advisoriesFor('open-webui', '0.9.6')).toEqual(expect.arrayContaining(['CVE-2026-59214 (<0.10.0)', 'CVE-2026-70490 (>=0.8.8 <0.11.0)']));
  expect(advisoriesFor('litellm', '1.82.7')).toContain('PyPI compromise 1.82.7 and 1.82.8 (1.82.7 || 1.82.8)');
});
