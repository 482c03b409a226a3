import { DynamodbTable, type DynamodbTableConfig } from '@cdktf/provider-aws/lib/dynamodb-table';
import { App, TerraformStack } from 'cdktf';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_ENVIRONMENT, listEnvironments, loadDeploymentConfig, resolveConfig } from '../../config/index.js';
import { buildDeployment } from '../../stacks/index.js';
import { auditSuppressions } from '../../policy/audit.js';
import { PolicyPack, SUPPRESSIONS, pathMatches, type Suppression } from '../../policy/index.js';
import { ENVIRONMENTS_DIRECTORY, SynthesisError, synthesize } from '../../stacks/synthesize.js';
import { checkStack, describeFinding } from './policy-harness.js';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555';

/** A table that passes every DynamoDB rule, with `change` applied. */
function table(stack: TerraformStack, id: string, change: Partial<DynamodbTableConfig> = {}): void {
  new DynamodbTable(stack, id, {
    name: id,
    hashKey: 'orderId',
    attribute: [{ name: 'orderId', type: 'S' }],
    pointInTimeRecovery: { enabled: true },
    serverSideEncryption: { enabled: true, kmsKeyArn: KEY },
    deletionProtectionEnabled: true,
    ...change,
  });
}

const UNPROTECTED = { deletionProtectionEnabled: false };

describe('the policy aspect', () => {
  it('reports every violation as an error with the construct path, rule, checkov ids, address, problem and fix', () => {
    const { errors } = checkStack((stack) =>
      table(stack, 'orders', {
        pointInTimeRecovery: undefined,
        serverSideEncryption: undefined,
        deletionProtectionEnabled: undefined,
      }),
    );
    expect(errors).toEqual([
      '[test/orders] MRAA-DDB-1 (checkov CKV_AWS_28) aws_dynamodb_table.orders: point_in_time_recovery.enabled is not true.' +
        ' Fix: Set pointInTimeRecovery: { enabled: true } on the table and pointInTimeRecovery: true on every replica.',
      '[test/orders] MRAA-DDB-2 (checkov CKV_AWS_119) aws_dynamodb_table.orders: server_side_encryption.enabled is not true.' +
        ' Fix: Set serverSideEncryption: { enabled: true, kmsKeyArn } and give every replica the kmsKeyArn of a key in its own region.',
      '[test/orders] MRAA-DDB-2 (checkov CKV_AWS_119) aws_dynamodb_table.orders: server_side_encryption.kms_key_arn is not set.' +
        ' Fix: Set serverSideEncryption: { enabled: true, kmsKeyArn } and give every replica the kmsKeyArn of a key in its own region.',
      '[test/orders] MRAA-DDB-3 aws_dynamodb_table.orders: deletion_protection_enabled is not true.' +
        ' Fix: Set deletionProtectionEnabled: true on the table and on every replica.',
    ]);
  });

  it('reads the block as synthesized, overrides included', () => {
    const { errors } = checkStack((stack) => {
      const orders = new DynamodbTable(stack, 'orders', {
        name: 'orders',
        hashKey: 'orderId',
        attribute: [{ name: 'orderId', type: 'S' }],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: KEY },
        deletionProtectionEnabled: true,
      });
      orders.addOverride('point_in_time_recovery.enabled', false);
    });
    expect(errors).toEqual([
      expect.stringMatching(/^\[test\/orders\] MRAA-DDB-1 .*point_in_time_recovery\.enabled is not true/),
    ]);
  });
});

describe('policy suppressions', () => {
  const suppression = (change: Partial<Suppression>): Suppression => ({
    path: 'test/legacy',
    ruleId: 'MRAA-DDB-3',
    reason: 'Deleted by its own retention job, not by Terraform.',
    ...change,
  });

  it('silence one rule on the named construct only, and the finding keeps the suppression that silenced it', () => {
    const legacy = suppression({});
    const { findings, errors } = checkStack(
      (stack) => {
        table(stack, 'legacy', { ...UNPROTECTED, pointInTimeRecovery: undefined });
        table(stack, 'orders', UNPROTECTED);
      },
      { suppressions: [legacy] },
    );
    expect(findings.filter((finding) => finding.suppressedBy === legacy).map(describeFinding)).toEqual([
      'test/legacy: MRAA-DDB-3 deletion_protection_enabled is not true',
    ]);
    expect(errors.map((error) => error.slice(0, error.indexOf(' aws_')))).toEqual([
      '[test/legacy] MRAA-DDB-1 (checkov CKV_AWS_28)',
      '[test/orders] MRAA-DDB-3',
    ]);
  });

  it('apply only in the environments they name', () => {
    const stagingOnly = [suppression({ environments: ['staging'] })];
    const build = (stack: TerraformStack): void => table(stack, 'legacy', UNPROTECTED);
    expect(checkStack(build, { suppressions: stagingOnly, environment: 'staging' }).errors).toEqual([]);
    expect(checkStack(build, { suppressions: stagingOnly, environment: 'production' }).errors).toHaveLength(1);
  });

  it('without a reason, a known rule or a path are errors that stop synthesis', () => {
    const { errors } = checkStack((stack) => table(stack, 'legacy'), {
      suppressions: [suppression({ reason: '  ' }), suppression({ ruleId: 'MRAA-DDB-99', path: '', environments: [] })],
    });
    expect(errors).toEqual([
      '[] Policy suppression 1 (MRAA-DDB-3 at test/legacy): reason is empty: write why the rule does not apply there',
      '[] Policy suppression 2 (MRAA-DDB-99 at  ()): ruleId "MRAA-DDB-99" is not a rule of the policy pack',
      '[] Policy suppression 2 (MRAA-DDB-99 at  ()): path is empty: name the construct path it applies to',
      '[] Policy suppression 2 (MRAA-DDB-99 at  ()): environments is empty: omit it to mean every environment',
    ]);
  });

  it('match a construct path or anything below it, with * inside one segment', () => {
    const pattern = 'network-*/network/load-balancer-in-80-*';
    expect(pathMatches(pattern, 'network-us-east-1/network/load-balancer-in-80-ipv4')).toBe(true);
    expect(pathMatches(pattern, 'network-eu-west-1/network/load-balancer-in-80-ipv6/child')).toBe(true);
    expect(pathMatches(pattern, 'network-eu-west-1/network/load-balancer-in-8080-ipv4')).toBe(false);
    expect(pathMatches(pattern, 'network-us-east-1/other/network/load-balancer-in-80-ipv4')).toBe(false);
    expect(pathMatches('data/database', 'data/database-secret/us-east-1')).toBe(false);
    expect(pathMatches('data/database', 'data/database/us-east-1/cluster')).toBe(true);
    expect(pathMatches('app-(us)-1/x.y', 'app-(us)-1/x.y')).toBe(true);
    expect(pathMatches('app-(us)-1/x.y', 'app-(us)-1/xzy')).toBe(false);
  });
});

describe('the deployment under the policy pack', () => {
  it('applies the pack to every stack', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'mraa-policy-')) });
    buildDeployment(app, resolveConfig({}, DEFAULT_ENVIRONMENT, 'the built-in defaults'));
    const stacks = app.node.findAll().filter((construct) => TerraformStack.isStack(construct));
    expect(stacks.length).toBeGreaterThan(2);
    for (const stack of stacks) expect(PolicyPack.of(stack), stack.node.path).toBeInstanceOf(PolicyPack);
  });

  it('passes in every environment with only the documented suppressions, each of them used', () => {
    const environments = [DEFAULT_ENVIRONMENT, ...listEnvironments(ENVIRONMENTS_DIRECTORY)];
    const configs = environments.map((environment) =>
      loadDeploymentConfig({ environment, directory: ENVIRONMENTS_DIRECTORY }),
    );
    const { uses, unsuppressed } = auditSuppressions(configs);
    expect(unsuppressed).toEqual(Object.fromEntries(environments.map((environment) => [environment, []])));
    expect(uses.map((use) => use.suppression)).toEqual(SUPPRESSIONS);
    const unused = uses.filter((use) => Object.values(use.silenced).every((count) => count === 0));
    expect(unused).toEqual([]);
  });
});

describe('synthesis with a policy violation', () => {
  beforeEach(() => {
    // What main() sets: every stack's violations are collected before synthesis stops.
    vi.stubEnv('CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS', 'true');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('fails listing every violation of every stack and leaves the previous output untouched', () => {
    const workdir = mkdtempSync(join(tmpdir(), 'mraa-policy-synth-'));
    const environmentsDirectory = join(workdir, 'environments');
    mkdirSync(environmentsDirectory);
    writeFileSync(join(environmentsDirectory, 'good.json'), '{}');
    writeFileSync(join(environmentsDirectory, 'weak.json'), JSON.stringify({ network: { flowLogRetentionDays: 30 } }));
    const outdir = join(workdir, 'cdktf.out');
    synthesize({ outdir, environment: 'good', environmentsDirectory });
    const manifest = readFileSync(join(outdir, 'manifest.json'), 'utf8');

    const fix = 'Fix: Set retentionInDays to 365 or more (a value CloudWatch Logs accepts).';
    expect(() => synthesize({ outdir, environment: 'weak', environmentsDirectory })).toThrow(
      new SynthesisError(
        [
          'Synthesis stopped by 2 error(s):',
          ...['us-east-1', 'eu-west-1'].map(
            (region) =>
              `  - [network-${region}/network/flow-log-group] MRAA-LOG-2 (checkov CKV_AWS_66, CKV_AWS_338)` +
              ` aws_cloudwatch_log_group.network_flow-log-group_73759AFD: retention_in_days is 30, less than 365. ${fix}`,
          ),
        ].join('\n'),
      ),
    );
    expect(readFileSync(join(outdir, 'manifest.json'), 'utf8')).toBe(manifest);
    expect(existsSync(join(outdir, 'stacks', 'network-us-east-1', 'cdk.tf.json'))).toBe(true);
    expect(readdirSync(workdir).sort()).toEqual(['cdktf.out', 'environments']);
  });
});
