"""The AWS calls a platform team makes by hand around `terraform apply` and `destroy`
(docs/deploy.md), made against moto for the deploy and destroy rehearsal, plus an inventory of
what the stacks leave behind.

Usage (every command takes --endpoint URL; regions are AWS region names):
  aws_steps.py create-zone NAME                  a public hosted zone the stacks look up
  aws_steps.py push-image REPOSITORY TAG REGION… the image tag, in every region's repository
  aws_steps.py before-destroy REGION…            docs/deploy.md, "Destroy order", steps 1-3
  aws_steps.py empty-registry REGION…            step 4: the repositories' images, before `registry`
  aws_steps.py inventory REGION…                 JSON: every resource of the types we create
"""

import argparse
import hashlib
import json
import sys

import boto3

CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}


def client(args, service, region="us-east-1"):
    return boto3.client(service, region_name=region, endpoint_url=args.endpoint, **CREDENTIALS)


def create_zone(args):
    route53 = client(args, "route53")
    zones = route53.list_hosted_zones_by_name(DNSName=args.name)["HostedZones"]
    if not any(zone["Name"].rstrip(".") == args.name for zone in zones):
        route53.create_hosted_zone(Name=args.name, CallerReference=f"rehearsal-{args.name}")


def push_image(args):
    """What `docker push` and ECR replication leave in every region: one image under the tag.

    moto implements neither the registry's blob protocol nor cross-region replication, so the
    manifest is put straight into each region's repository.
    """
    config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}})
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": len(config),
                "digest": "sha256:" + hashlib.sha256(config.encode()).hexdigest(),
            },
            "layers": [],
        }
    )
    for region in args.regions:
        client(args, "ecr", region).put_image(
            repositoryName=args.repository, imageTag=args.tag, imageManifest=manifest
        )


def before_destroy(args):
    """docs/deploy.md, "Destroy order", steps 1-3: deletion protection off."""
    for region in args.regions:
        elbv2 = client(args, "elbv2", region)
        for balancer in elbv2.describe_load_balancers()["LoadBalancers"]:
            elbv2.modify_load_balancer_attributes(
                LoadBalancerArn=balancer["LoadBalancerArn"],
                Attributes=[{"Key": "deletion_protection.enabled", "Value": "false"}],
            )
        rds = client(args, "rds", region)
        for cluster in rds.describe_db_clusters()["DBClusters"]:
            rds.modify_db_cluster(
                DBClusterIdentifier=cluster["DBClusterIdentifier"], DeletionProtection=False, ApplyImmediately=True
            )
        dynamodb = client(args, "dynamodb", region)
        for table in dynamodb.list_tables()["TableNames"]:
            dynamodb.update_table(TableName=table, DeletionProtectionEnabled=False)
    rds = client(args, "rds", args.regions[0])
    for cluster in rds.describe_global_clusters()["GlobalClusters"]:
        rds.modify_global_cluster(
            GlobalClusterIdentifier=cluster["GlobalClusterIdentifier"], DeletionProtection=False
        )


def empty_registry(args):
    """docs/deploy.md, "Destroy order", step 4: ECR emptied, once the app stacks are gone."""
    for region in args.regions:
        ecr = client(args, "ecr", region)
        for repository in ecr.describe_repositories()["repositories"]:
            images = ecr.list_images(repositoryName=repository["repositoryName"])["imageIds"]
            if images:
                ecr.batch_delete_image(repositoryName=repository["repositoryName"], imageIds=images)


def inventory(args):
    """Every live resource of the types the stacks create, as sorted `kind region id` strings.

    Deleted-but-recoverable resources count as gone, as they do in AWS: KMS keys pending
    deletion, secrets scheduled for deletion, INACTIVE ECS clusters.
    """
    found = []

    def add(kind, region, identifiers):
        found.extend(f"{kind} {region} {identifier}" for identifier in identifiers)

    for region in args.regions:
        ec2 = client(args, "ec2", region)
        add("vpc", region, [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")])
        add("nat-gateway", region, [n["NatGatewayId"] for n in ec2.describe_nat_gateways()["NatGateways"] if n["State"] != "deleted"])
        add("elastic-ip", region, [a["AllocationId"] for a in ec2.describe_addresses()["Addresses"]])
        add("vpc-peering", region, [
            p["VpcPeeringConnectionId"]
            for p in ec2.describe_vpc_peering_connections()["VpcPeeringConnections"]
            if p["Status"]["Code"] not in ("deleted", "rejected")
        ])
        add("flow-log", region, [f["FlowLogId"] for f in ec2.describe_flow_logs()["FlowLogs"]])
        kms = client(args, "kms", region)
        # Customer managed keys only: AWS managed keys (aws/secretsmanager, ...) belong to the account.
        keys = [kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"] for key in kms.list_keys()["Keys"]]
        # The description says which resource a key serves, so a leftover key can be traced.
        add("kms-key", region, [
            f'{key["KeyId"]} ({key.get("Description", "")})'
            for key in keys
            if key["KeyState"] != "PendingDeletion" and key.get("KeyManager") != "AWS"
        ])
        add("secret", region, [s["Name"] for s in client(args, "secretsmanager", region).list_secrets()["SecretList"]])
        add("dynamodb-table", region, client(args, "dynamodb", region).list_tables()["TableNames"])
        rds = client(args, "rds", region)
        add("rds-cluster", region, [c["DBClusterIdentifier"] for c in rds.describe_db_clusters()["DBClusters"]])
        add("rds-instance", region, [i["DBInstanceIdentifier"] for i in rds.describe_db_instances()["DBInstances"]])
        add("db-subnet-group", region, [g["DBSubnetGroupName"] for g in rds.describe_db_subnet_groups()["DBSubnetGroups"]])
        add("backup-vault", region, [
            v["BackupVaultName"] for v in client(args, "backup", region).list_backup_vaults()["BackupVaultList"]
            if v["BackupVaultName"] != "Default"
        ])
        add("backup-plan", region, [p["BackupPlanName"] for p in client(args, "backup", region).list_backup_plans()["BackupPlansList"]])
        ecs = client(args, "ecs", region)
        # A deleted cluster stays listed as INACTIVE for a while, as in AWS.
        clusters = ecs.list_clusters()["clusterArns"]
        add("ecs-cluster", region, [
            c["clusterArn"] for c in (ecs.describe_clusters(clusters=clusters)["clusters"] if clusters else [])
            if c["status"] != "INACTIVE"
        ])
        add("ecs-task-definition", region, ecs.list_task_definitions(status="ACTIVE")["taskDefinitionArns"])
        elbv2 = client(args, "elbv2", region)
        add("load-balancer", region, [b["LoadBalancerName"] for b in elbv2.describe_load_balancers()["LoadBalancers"]])
        add("target-group", region, [g["TargetGroupName"] for g in elbv2.describe_target_groups()["TargetGroups"]])
        add("web-acl", region, [a["Name"] for a in client(args, "wafv2", region).list_web_acls(Scope="REGIONAL")["WebACLs"]])
        add("sns-topic", region, [t["TopicArn"] for t in client(args, "sns", region).list_topics()["Topics"]])
        add("log-group", region, [g["logGroupName"] for g in client(args, "logs", region).describe_log_groups()["logGroups"]])
        cloudwatch = client(args, "cloudwatch", region)
        add("alarm", region, [a["AlarmName"] for a in cloudwatch.describe_alarms()["MetricAlarms"]])
        add("dashboard", region, [d["DashboardName"] for d in cloudwatch.list_dashboards()["DashboardEntries"]])
        add("ecr-repository", region, [r["repositoryName"] for r in client(args, "ecr", region).describe_repositories()["repositories"]])
        add("certificate", region, [c["DomainName"] for c in client(args, "acm", region).list_certificates()["CertificateSummaryList"]])
        add("ssm-parameter", region, [p["Name"] for p in client(args, "ssm", region).describe_parameters()["Parameters"]])
        add("scalable-target", region, [
            t["ResourceId"]
            for t in client(args, "application-autoscaling", region).describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
        ])
    # Global services, listed once.
    add("s3-bucket", "global", [b["Name"] for b in client(args, "s3").list_buckets()["Buckets"]])
    add("iam-role", "global", [r["RoleName"] for r in client(args, "iam").get_paginator("list_roles").paginate().build_full_result()["Roles"]])
    route53 = client(args, "route53")
    add("health-check", "global", [h["Id"] for h in route53.list_health_checks()["HealthChecks"]])
    for zone in route53.list_hosted_zones()["HostedZones"]:
        add("hosted-zone", "global", [zone["Name"]])
        records = route53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"]
        add("record", "global", [f'{r["Name"]} {r["Type"]} {r.get("SetIdentifier", "")}'.rstrip() for r in records if r["Type"] not in ("NS", "SOA")])
    add("global-cluster", "global", [
        c["GlobalClusterIdentifier"] for c in client(args, "rds", args.regions[0]).describe_global_clusters()["GlobalClusters"]
    ])
    json.dump(sorted(found), sys.stdout, indent=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", required=True)
    commands = parser.add_subparsers(dest="command", required=True)
    zone = commands.add_parser("create-zone")
    zone.add_argument("name")
    zone.set_defaults(run=create_zone)
    image = commands.add_parser("push-image")
    image.add_argument("repository")
    image.add_argument("tag")
    image.add_argument("regions", nargs="+")
    image.set_defaults(run=push_image)
    for name, run in (("before-destroy", before_destroy), ("empty-registry", empty_registry), ("inventory", inventory)):
        command = commands.add_parser(name)
        command.add_argument("regions", nargs="+")
        command.set_defaults(run=run)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
