import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_RULES, type PolicyRule } from '../../policy/index.js';

/**
 * A rule id leads to one file: `MRAA-LOG-2` is policy/rules/MRAA-LOG-2.ts, which holds that rule
 * alone, and policy/rules/index.ts lists every such file. These tests keep the layout from drifting.
 */
const RULES_DIRECTORY = join(__dirname, '..', '..', 'policy', 'rules');
const RULE_FILE = /^MRAA-[A-Z]+-\d+\.ts$/;

const entries = readdirSync(RULES_DIRECTORY, { withFileTypes: true });
const ruleFiles = entries.filter((entry) => entry.isFile() && RULE_FILE.test(entry.name)).map((entry) => entry.name);

function isPolicyRule(value: unknown): value is PolicyRule {
  return typeof value === 'object' && value !== null && 'id' in value && 'check' in value;
}

/** The rules a rule file exports. */
async function rulesOf(file: string): Promise<PolicyRule[]> {
  const namespace: unknown = await import(join(RULES_DIRECTORY, file));
  return typeof namespace === 'object' && namespace !== null ? Object.values(namespace).filter(isPolicyRule) : [];
}

describe('the policy pack layout', () => {
  it('has nothing in policy/rules but rule files named by id and the index', () => {
    expect(ruleFiles.length).toBeGreaterThan(0);
    expect(entries.map((entry) => entry.name).filter((name) => !ruleFiles.includes(name))).toEqual(['index.ts']);
  });

  it.each(ruleFiles)('%s holds exactly the rule of that id, and the index lists it', async (file) => {
    const rules = await rulesOf(file);
    expect(rules.map((rule) => rule.id)).toEqual([basename(file, '.ts')]);
    expect(POLICY_RULES).toContain(rules[0]);
  });

  it('the index lists exactly the rules that have a file', () => {
    expect(POLICY_RULES.map((rule) => `${rule.id}.ts`).sort()).toEqual([...ruleFiles].sort());
  });
});
