import * as fs from 'fs';
import * as path from 'path';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { CONFIGURATIONS, synthesize } from './configurations';

/** "RuleName construct/path" for every unacknowledged finding. */
function findings(pack: AwsSolutionsChecks | NIST80053R5Checks, name: string): string[] {
  const { stack } = synthesize(name);
  return pack.validateScope(stack).violations
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`))
    .sort();
}

describe.each(Object.keys(CONFIGURATIONS))('cdk-nag AwsSolutions on the %s configuration', (name) => {
  test('every finding is fixed or acknowledged, with its reason, on the resource', () => {
    expect(findings(new AwsSolutionsChecks(), name)).toEqual([]);
  });
});

/**
 * NIST 800-53 R5 is advisory: its findings are written to test-output/nist-800-53-r5.txt for a
 * reviewer, and each rule that fires must be one the security guide (docs/security.md) explains. A new
 * rule firing fails here until it is fixed or explained.
 */
const EXPLAINED_NIST_RULES = [
  'ALBHttpToHttpsRedirection', 'ALBWAFEnabled', 'CloudWatchLogGroupEncrypted', 'EC2RestrictedCommonPorts', 'EC2RestrictedSSH', 'EFSInBackupPlan',
  'ELBDeletionProtectionEnabled', 'ELBLoggingEnabled', 'ELBv2ACMCertificateRequired', 'IAMNoInlinePolicy', 'LambdaConcurrency', 'LambdaDLQ',
  'LambdaInsideVPC', 'RDSEnhancedMonitoringEnabled', 'RDSInBackupPlan', 'RDSLoggingEnabled', 'RDSMultiAZSupport',
  'S3BucketLoggingEnabled', 'S3BucketReplicationEnabled', 'S3BucketVersioningEnabled', 'S3DefaultEncryptionKMS',
  'SecretsManagerRotationEnabled', 'SecretsManagerUsingKMSKey', 'VPCDefaultSecurityGroupClosed', 'VPCNoUnrestrictedRouteToIGW',
  'VPCSubnetAutoAssignPublicIpDisabled', 'ElastiCacheRedisClusterAutomaticBackup', 'CloudWatchAlarmAction',
  'SNSEncryptedKMS',
];

test('NIST 800-53 R5 (advisory): findings are written for review, and every rule that fires is explained', () => {
  const lines: string[] = [];
  const fired = new Set<string>();
  for (const name of Object.keys(CONFIGURATIONS)) {
    const found = findings(new NIST80053R5Checks(), name);
    lines.push(`## ${name}: ${found.length} findings`, ...found, '');
    found.forEach((f) => fired.add(f.split(' ')[0].replace(/^NIST\.800\.53\.R5-/, '').replace(/\[.*$/, '')));
  }
  const out = path.join(__dirname, '..', '..', 'test-output');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'nist-800-53-r5.txt'), lines.join('\n'));
  console.log(`NIST 800-53 R5 (advisory): ${[...fired].sort().join(', ')}; details in test-output/nist-800-53-r5.txt`);
  expect([...fired].filter((rule) => !EXPLAINED_NIST_RULES.includes(rule))).toEqual([]);
});

test('the security guide names every rule the constructs acknowledge', () => {
  const guide = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'security.md'), 'utf-8');
  const acknowledged = new Set<string>();
  for (const name of Object.keys(CONFIGURATIONS)) {
    for (const construct of synthesize(name).stack.node.findAll()) {
      for (const entry of construct.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules')) {
        Object.keys(entry.data).forEach((id) => acknowledged.add(id.replace(/\[.*$/, '')));
      }
    }
  }
  expect([...acknowledged].sort().filter((rule) => !guide.includes(rule))).toEqual([]);
  expect(acknowledged.size).toBeGreaterThan(8);
});
