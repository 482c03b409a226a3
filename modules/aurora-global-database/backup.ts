import { BackupPlan } from '@cdktf/provider-aws/lib/backup-plan';
import { BackupSelection } from '@cdktf/provider-aws/lib/backup-selection';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';

/** When the daily recovery point is taken: 05:00 UTC. */
export const DAILY_SCHEDULE = 'cron(0 5 ? * * *)';

export interface ClusterBackupProps {
  /** The provider of the cluster's region: the vault, plan and selection live there. */
  readonly provider: AwsProvider;
  /** Name of the plan and the selection (2-50 letters, digits, hyphens). */
  readonly name: string;
  /** Name of the vault (2-50 letters, digits, hyphens): new on every create, since a destroy keeps the vault. */
  readonly vaultName: string;
  /**
   * Keep the vault, and the recovery points in it, when the stack is destroyed (Terraform
   * `prevent_destroy`; release it with `terraform state rm` before `destroy`). AWS Backup refuses
   * to delete a vault that holds recovery points, so without this a destroy fails on the vault or
   * needs the recovery points deleted first.
   * @default true
   */
  readonly retainOnDestroy?: boolean;
  /** The customer-managed key of the cluster's region, which also encrypts the cluster. */
  readonly keyArn: string;
  readonly clusterArn: string;
  /** The role AWS Backup assumes to back up and restore the cluster. */
  readonly roleArn: string;
  /** Days each daily recovery point is kept. */
  readonly retentionDays: number;
}

/**
 * Daily AWS Backup recovery points of one regional cluster, in a vault of the cluster's region.
 * Aurora's automated backups are deleted with their cluster; these recovery points stay in the
 * vault until their retention ends, so the data outlives a deleted cluster, and the vault outlives
 * a destroy of its stack (see `retainOnDestroy`).
 */
export class ClusterBackup extends Construct {
  readonly vault: BackupVault;

  constructor(scope: Construct, id: string, props: ClusterBackupProps) {
    super(scope, id);
    const { provider, name } = props;
    // The cluster's own key: AWS Backup keeps Aurora recovery points encrypted with the key of
    // their cluster whatever the vault's, and because the vault refers to the key, Terraform
    // schedules the key's deletion only after the vault is gone, which AWS refuses while the
    // vault still holds recovery points.
    const vault = new BackupVault(this, 'vault', {
      provider,
      name: props.vaultName,
      kmsKeyArn: props.keyArn,
      lifecycle: (props.retainOnDestroy ?? true) ? { preventDestroy: true } : undefined,
    });
    this.vault = vault;
    const plan = new BackupPlan(this, 'plan', {
      provider,
      name,
      rule: [
        {
          ruleName: 'daily',
          targetVaultName: vault.name,
          schedule: DAILY_SCHEDULE,
          lifecycle: { deleteAfter: props.retentionDays },
        },
      ],
    });
    new BackupSelection(this, 'selection', {
      provider,
      name,
      planId: plan.id,
      iamRoleArn: props.roleArn,
      resources: [props.clusterArn],
    });
  }
}
