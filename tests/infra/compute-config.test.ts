import { describe, expect, it } from 'vitest';
import { ConfigError, MAX_SERVICE_NAME_PREFIX, resolveConfig, serviceNamePrefix } from '../../config/index.js';
import { resourcesOfType, stackOf, synthesizeOverrides } from './synth.js';

function problemFields(overrides: unknown, environment = 'test'): { fields: string[]; message: string } {
  try {
    resolveConfig(overrides, environment, 'the test');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    return { fields: configError.problems.map((problem) => problem.field).sort(), message: configError.message };
  }
  return { fields: [], message: '' };
}

describe('compute, dns and alarm settings', () => {
  it('default to auto scaling, deletion protection, a year of logs and the zone of the domain itself', () => {
    const config = resolveConfig({}, 'default', 'defaults');
    expect(config.service).toMatchObject({ autoScaling: true, deletionProtection: true, logRetentionDays: 365 });
    expect(config.dns.hostedZoneName).toBeUndefined();
    expect(config.alarms.notificationEmails).toEqual([]);
  });

  it('report every bad value at once, each under its field', () => {
    const project = 'orders-platform-core';
    const environment = 'production-eu-test';
    const { fields, message } = problemFields(
      {
        project,
        service: { scaleOnCpuPercent: 0, scaleOnRequestsPerTarget: 2.5, logRetentionDays: 42 },
        dns: { hostedZoneName: 'example.org' },
        alarms: {
          target5xxThreshold: 0,
          cpuPercent: 101,
          memoryPercent: -1,
          dynamodbReplicationLatencyMs: 0,
          auroraReplicationLagMs: -5,
          notificationEmails: ['ops@example.com', 'not-an-address'],
        },
      },
      environment,
    );
    expect(fields).toEqual([
      'alarms.auroraReplicationLagMs',
      'alarms.cpuPercent',
      'alarms.dynamodbReplicationLatencyMs',
      'alarms.memoryPercent',
      'alarms.notificationEmails[1]',
      'alarms.target5xxThreshold',
      'dns.hostedZoneName',
      'environment',
      'service.logRetentionDays',
      'service.scaleOnCpuPercent',
      'service.scaleOnRequestsPerTarget',
    ]);
    expect(message).toContain(`${fields.length} problems`);
    const prefix = serviceNamePrefix({ project, environment });
    expect(prefix.length).toBeGreaterThan(MAX_SERVICE_NAME_PREFIX);
    expect(message).toContain(`"${prefix}" (project-environment)`);
    expect(message).toContain('"not-an-address" is not an email address');
    expect(message).toContain(
      '"example.org" must be a lowercase DNS name equal to dns.domainName (api.example.com) or a parent of it',
    );
  });

  it('reject wrong JSON types for the new fields by name', () => {
    const { fields } = problemFields({
      service: { deletionProtection: 'no', autoScaling: 1 },
      dns: { hostedZoneName: 5 },
      alarms: { notificationEmails: 'ops@example.com' },
    });
    expect(fields).toEqual([
      'alarms.notificationEmails',
      'dns.hostedZoneName',
      'service.autoScaling',
      'service.deletionProtection',
    ]);
  });

  it('accept the domain itself or a parent as the hosted zone, and a prefix of exactly the maximum length', () => {
    expect(problemFields({ dns: { hostedZoneName: 'example.com' } }).fields).toEqual([]);
    expect(
      problemFields({ dns: { domainName: 'orders.example.org', hostedZoneName: 'orders.example.org' } }).fields,
    ).toEqual([]);
    const project = 'p'.repeat(20);
    const fitting = 'e'.repeat(MAX_SERVICE_NAME_PREFIX - project.length - 1);
    expect(problemFields({ project }, fitting).fields).toEqual([]);
    expect(problemFields({ project }, `${fitting}e`).fields).toEqual(['environment']);
  });
});

describe('service.healthCheckGracePeriodSeconds', () => {
  it("reaches every region's ECS service, and a negative value is refused by name", () => {
    const { stacks } = synthesizeOverrides({ service: { healthCheckGracePeriodSeconds: 120 } });
    for (const region of ['us-east-1', 'eu-west-1']) {
      const [service] = resourcesOfType(stackOf(stacks, `app-${region}`), 'aws_ecs_service');
      expect(service?.health_check_grace_period_seconds, region).toBe(120);
    }
    expect(problemFields({ service: { healthCheckGracePeriodSeconds: -1 } }).message).toContain(
      'service.healthCheckGracePeriodSeconds: -1 is outside 0-2147483647 seconds',
    );
  });
});
