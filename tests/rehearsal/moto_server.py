"""moto's server, with the settings and the few extensions the deploy and destroy rehearsal needs.

Where moto lacks an AWS behaviour the stacks rely on, it is added here (and listed in
docs/rehearsal.md, "Emulator gaps"), never worked around in the synthesized configuration.

Usage: moto_server.py -H 127.0.0.1 -p PORT   (the arguments of moto_server)
"""

import os

# ACM: a DNS-validated certificate is ISSUED as soon as it is requested (moto waits 60 s by
# default; it never looks at the validation records the certificates stack writes).
os.environ.setdefault("MOTO_ACM_VALIDATION_WAIT", "0")
# IAM: the AWS managed policies the data stack attaches (AWS Backup's service-role policies, RDS
# enhanced monitoring) must exist, as they do in every account.
os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

import datetime  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import urllib.parse  # noqa: E402
import uuid  # noqa: E402

import cbor2  # noqa: E402
import xmltodict  # noqa: E402
import moto.server  # noqa: E402
from botocore.parsers import QueryParser  # noqa: E402
from botocore.serialize import QuerySerializer  # noqa: E402
from botocore.session import get_session  # noqa: E402

from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse  # noqa: E402
from moto.backup.exceptions import ResourceNotFoundException  # noqa: E402
from moto.backup.responses import BackupResponse  # noqa: E402
from moto.dynamodb.models import dynamodb_backends  # noqa: E402
from moto.dynamodb.models.table import Table  # noqa: E402
from moto.dynamodb.responses import DynamoHandler  # noqa: E402
from moto.kms.models import KmsBackend  # noqa: E402
from moto.core.responses import ActionResult  # noqa: E402
from moto.rds.models import DBInstance, RDSBackend, rds_backends  # noqa: E402
from moto.rds.responses import RDSResponse  # noqa: E402
from moto.s3.responses import S3Response  # noqa: E402
from moto.secretsmanager.models import FakeSecret  # noqa: E402
from moto.server import main  # noqa: E402  (the settings above are read at import)

# --- DynamoDB global tables (version 2019.11.21) -----------------------------------------------
# moto ignores UpdateTable's ReplicaUpdates. Here a replica is a copy of the table in the
# replica's region (same keys, indexes, stream, billing; its own KMS key), and every member of the
# global table describes the others under `Replicas`, ACTIVE at once.
REPLICA_GROUPS: dict[tuple[str, str], dict[str, dict]] = {}
_update_table = DynamoHandler.update_table
_describe_table = Table.describe


def _replica_update_table(self):
    name = self.body["TableName"]
    updates = self.body.get("ReplicaUpdates") or []
    if updates:
        source = self.dynamodb_backend.get_table(name)
        group = REPLICA_GROUPS.setdefault(
            (source.account_id, name), {source.region_name: {"RegionName": source.region_name}}
        )
        for update in updates:
            if "Create" in update:
                create = update["Create"]
                region = create["RegionName"]
                kms_key = create.get("KMSMasterKeyId")
                dynamodb_backends[source.account_id][region].create_table(
                    name,
                    schema=source.schema,
                    throughput=source.throughput if source.billing_mode == "PROVISIONED" else None,
                    attr=source.attr,
                    global_indexes=[index.describe() for index in source.global_indexes],
                    indexes=[index.describe() for index in source.indexes],
                    streams=source.stream_specification,
                    billing_mode=source.billing_mode,
                    sse_specification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": kms_key}
                    if kms_key
                    else None,
                    tags=[],
                    deletion_protection_enabled=False,
                    warm_throughput=None,
                )
                group[region] = {"RegionName": region, **({"KMSMasterKeyId": kms_key} if kms_key else {})}
            elif "Delete" in update:
                region = update["Delete"]["RegionName"]
                dynamodb_backends[source.account_id][region].delete_table(name)
                group.pop(region, None)
    return _update_table(self)


def _describe_with_replicas(self, base_key="TableDescription"):
    result = _describe_table(self, base_key)
    group = REPLICA_GROUPS.get((self.account_id, self.name), {})
    others = [dict(replica, ReplicaStatus="ACTIVE") for region, replica in sorted(group.items()) if region != self.region_name]
    if others and self.region_name in group:
        result[base_key]["Replicas"] = others
        result[base_key]["GlobalTableVersion"] = "2019.11.21"
    return result


DynamoHandler.update_table = _replica_update_table
Table.describe = _describe_with_replicas

# --- KMS: AWS managed keys -----------------------------------------------------------------------
# Looking up an `alias/aws/<service>` alias makes moto create the key, as AWS does on first use, but
# moto marks it a customer managed key. The provider's DynamoDB table read looks up
# alias/aws/dynamodb in every replica region (clearSSEDefaultKey), so the inventory would count
# those keys as left behind by the stacks. In AWS they are AWS managed keys, owned by the account and
# never deleted ("The alias/aws/ prefix is reserved for AWS managed key": AWS KMS Developer Guide,
# "Create aliases").
_generate_default_keys = KmsBackend._generate_default_keys


def _generate_aws_managed_key(self, alias_name):
    key_id = _generate_default_keys(self, alias_name)
    if key_id is not None:
        self.keys[key_id].key_manager = "AWS"
    return key_id


KmsBackend._generate_default_keys = _generate_aws_managed_key

# --- AWS Backup selections -----------------------------------------------------------------------
# moto has backup plans but no selections (CreateBackupSelection and its readers).
BACKUP_SELECTIONS: dict[str, dict] = {}


def _plan_and_selection(path):
    parts = path.rstrip("/").split("/")
    plan_id = parts[parts.index("plans") + 1]
    selection_id = parts[parts.index("selections") + 1] if parts[-1] != "selections" else None
    return plan_id, selection_id


def create_backup_selection(self):
    plan_id, _ = _plan_and_selection(self.path)
    body = json.loads(self.body)
    selection_id = str(uuid.uuid4())
    BACKUP_SELECTIONS[selection_id] = {
        "BackupPlanId": plan_id,
        "SelectionId": selection_id,
        "BackupSelection": body["BackupSelection"],
        "CreationDate": datetime.datetime.now(datetime.timezone.utc).timestamp(),
        "CreatorRequestId": body.get("CreatorRequestId"),
    }
    selection = BACKUP_SELECTIONS[selection_id]
    return json.dumps({key: selection[key] for key in ("BackupPlanId", "SelectionId", "CreationDate")})


def get_backup_selection(self):
    _, selection_id = _plan_and_selection(self.path)
    if selection_id not in BACKUP_SELECTIONS:
        raise ResourceNotFoundException(msg=f"Backup selection {selection_id} not found")
    return json.dumps(BACKUP_SELECTIONS[selection_id])


def delete_backup_selection(self):
    _, selection_id = _plan_and_selection(self.path)
    BACKUP_SELECTIONS.pop(selection_id, None)
    return "{}"


def list_backup_selections(self):
    plan_id, _ = _plan_and_selection(self.path)
    selections = [
        {key: value for key, value in selection.items() if key != "BackupSelection"}
        | {
            "SelectionName": selection["BackupSelection"]["SelectionName"],
            "IamRoleArn": selection["BackupSelection"]["IamRoleArn"],
        }
        for selection in BACKUP_SELECTIONS.values()
        if selection["BackupPlanId"] == plan_id
    ]
    return json.dumps({"BackupSelectionsList": selections})


BackupResponse.create_backup_selection = create_backup_selection
BackupResponse.get_backup_selection = get_backup_selection
BackupResponse.delete_backup_selection = delete_backup_selection
BackupResponse.list_backup_selections = list_backup_selections

# --- AWS Backup tags ----------------------------------------------------------------------------
# moto's ListTags takes the resource ARN from the path's second-to-last segment, as if the path
# ended in `/`; the SDK sends `/tags/{resourceArn}`, so moto answers no tags and the provider plans
# to add the vault's and the plan's tags again on every plan.
def _list_backup_tags(self):
    resource_arn = urllib.parse.unquote(self.path.split("/tags/", 1)[1].strip("/"))
    return json.dumps({"Tags": self.backup_backend.list_tags(resource_arn=resource_arn)})


BackupResponse.list_tags = _list_backup_tags

# --- S3: tags on CreateBucket --------------------------------------------------------------------
# Provider 6.4x tags a bucket in CreateBucket (CreateBucketConfiguration.Tags) and reads the tags
# back through S3 Control; moto ignores the Tags element, so the bucket had none.
_bucket_response_put = S3Response._bucket_response_put


def _bucket_response_put_with_tags(self, request, bucket_name, querystring):
    result = _bucket_response_put(self, request, bucket_name, querystring)
    if not querystring and self.body:
        configuration = xmltodict.parse(self.body).get("CreateBucketConfiguration") or {}
        tags = ((configuration.get("Tags") or {}).get("Tag")) or []
        tags = tags if isinstance(tags, list) else [tags]
        if tags:
            self.backend.put_bucket_tagging(bucket_name, {tag["Key"]: tag.get("Value") or "" for tag in tags})
    return result


S3Response._bucket_response_put = _bucket_response_put_with_tags

# --- Secrets Manager: the replica's key ------------------------------------------------------------
# moto gives every replica alias/aws/secretsmanager, whatever KmsKeyId AddReplicaRegions names; the
# data stack encrypts each replica with its region's own key.
_create_replicas = FakeSecret.create_replicas


def _create_replicas_with_keys(self, replica_regions, force_overwrite):
    replicas = _create_replicas(self, replica_regions, force_overwrite)
    for replica, requested in zip(replicas, replica_regions or []):
        if requested.get("KmsKeyId"):
            replica.config["KmsKeyId"] = requested["KmsKeyId"]
    return replicas


FakeSecret.create_replicas = _create_replicas_with_keys

# --- Application Auto Scaling tags ---------------------------------------------------------------
# moto ignores RegisterScalableTarget's Tags and has no ListTagsForResource (it answers 500, which
# the provider retries for minutes), TagResource or UntagResource.
SCALING_TAGS: dict[str, dict[str, str]] = {}
_register_scalable_target = ApplicationAutoScalingResponse.register_scalable_target


def _register_with_tags(self):
    result = _register_scalable_target(self)
    tags = self._get_param("Tags")
    if tags:
        SCALING_TAGS.setdefault(json.loads(result)["ScalableTargetARN"], {}).update(tags)
    return result


def _list_scaling_tags(self):
    return json.dumps({"Tags": SCALING_TAGS.get(self._get_param("ResourceARN"), {})})


def _tag_scaling(self):
    SCALING_TAGS.setdefault(self._get_param("ResourceARN"), {}).update(self._get_param("Tags") or {})
    return "{}"


def _untag_scaling(self):
    tags = SCALING_TAGS.get(self._get_param("ResourceARN"), {})
    for key in self._get_param("TagKeys") or []:
        tags.pop(key, None)
    return "{}"


ApplicationAutoScalingResponse.register_scalable_target = _register_with_tags
ApplicationAutoScalingResponse.list_tags_for_resource = _list_scaling_tags
ApplicationAutoScalingResponse.tag_resource = _tag_scaling
ApplicationAutoScalingResponse.untag_resource = _untag_scaling

# --- RDS: the default certificate authority ------------------------------------------------------
# New instances get rds-ca-rsa2048-g1 in AWS (RDS User Guide, "Using SSL/TLS to encrypt a connection
# to a DB cluster": the default CA since 2024); moto's "rds-ca-default" differs from the
# ca_cert_identifier the cluster instances set, which makes the provider modify and reboot every
# instance after creating it (two more minutes each) where AWS would not.
_db_instance_init = DBInstance.__init__


def _init_with_current_default_ca(self, *args, **kwargs):
    _db_instance_init(self, *args, **kwargs)
    if self.ca_certificate_identifier == "rds-ca-default":
        self.ca_certificate_identifier = "rds-ca-rsa2048-g1"


DBInstance.__init__ = _init_with_current_default_ca

# --- S3 Control through a proxy -------------------------------------------------------------------
# The provider reads and writes S3 bucket tags through S3 Control, whose SDK puts the account id in
# front of any endpoint's host (123456789012.127.0.0.1), a name nothing resolves. The rehearsal
# therefore sets HTTP_PROXY to this server for the CLI (Go never proxies loopback addresses, so only
# those requests come through it) and this routes them to moto's S3 Control by its AWS host name.
S3_CONTROL_HOST = re.compile(r"^(\d{12})\.")


def route_s3_control(environ):
    account = S3_CONTROL_HOST.match(environ.get("HTTP_HOST", ""))
    if account is not None and environ.get("PATH_INFO", "").startswith("/v20180820/"):
        environ["HTTP_HOST"] = f"{account.group(1)}.s3-control.us-east-1.amazonaws.com"


# --- CloudWatch over Smithy RPC v2 CBOR ------------------------------------------------------------
# The AWS SDK for Go v2 (and so the AWS provider 6.4x) calls CloudWatch with the Smithy RPC v2 CBOR
# protocol (POST /service/GraniteServiceVersion20100801/operation/<Operation>, application/cbor);
# moto 5.2.5 answers CloudWatch only in the query protocol, and 404 to the rest. This bridge turns a
# CBOR request into the query request moto understands, with botocore's own serializer for the
# operation, and moto's XML answer back into CBOR with botocore's parser.
CLOUDWATCH_MODEL = get_session().get_service_model("cloudwatch")
CBOR_OPERATION = re.compile(r"^/service/GraniteServiceVersion20100801/operation/(\w+)$")


class CborBridge(moto.server.DomainDispatcherApplication):
    def __call__(self, environ, start_response):
        route_s3_control(environ)
        match = CBOR_OPERATION.match(environ.get("PATH_INFO", ""))
        if match is None:
            return super().__call__(environ, start_response)
        operation = CLOUDWATCH_MODEL.operation_model(match.group(1))
        raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        params = cbor2.loads(raw) if raw else {}
        query = urllib.parse.urlencode(QuerySerializer().serialize_to_request(params, operation)["body"]).encode()
        forwarded = dict(environ)
        forwarded.update(
            {
                "PATH_INFO": "/",
                "CONTENT_TYPE": "application/x-www-form-urlencoded",
                "CONTENT_LENGTH": str(len(query)),
                "wsgi.input": io.BytesIO(query),
            }
        )
        answered = {}

        def capture(status, headers, exc_info=None):
            answered["status"] = status
            return lambda data: None

        xml = b"".join(super().__call__(forwarded, capture))
        status_code = int(answered["status"].split()[0])
        parsed = QueryParser().parse(
            {"body": xml, "headers": {}, "status_code": status_code}, operation.output_shape
        )
        parsed.pop("ResponseMetadata", None)
        if status_code >= 400:
            error = parsed.get("Error", {})
            parsed = {"__type": f"com.amazonaws.cloudwatch#{error.get('Code', 'InternalFailure')}", "message": error.get("Message", "")}
        body = cbor2.dumps(parsed, datetime_as_timestamp=True, timezone=datetime.timezone.utc)
        start_response(
            answered["status"],
            [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor"), ("Content-Length", str(len(body)))],
        )
        return [body]


moto.server.DomainDispatcherApplication = CborBridge

# --- RDS global clusters --------------------------------------------------------------------------
# moto drops CreateGlobalCluster's DatabaseName (the provider then plans to replace the global
# cluster on every plan) and has no ModifyGlobalCluster (docs/deploy.md's destroy step 2 turns the
# global cluster's deletion protection off with it).
_create_global_cluster = RDSResponse.create_global_cluster


def _create_global_cluster_with_database(self):
    result = _create_global_cluster(self)
    if self.params.get("DatabaseName"):
        self.global_backend.global_clusters[self.params["GlobalClusterIdentifier"]].database_name = self.params[
            "DatabaseName"
        ]
    return result


def _modify_global_cluster(self):
    cluster = self.global_backend.global_clusters[self.params["GlobalClusterIdentifier"]]
    if "DeletionProtection" in self.params:
        cluster.deletion_protection = self.params["DeletionProtection"]
    return ActionResult({"GlobalCluster": cluster})


# A deleted secondary cluster stays a member of its global cluster when the global cluster lives
# in another region's backend, and the provider waits for the member to go before deleting the
# global cluster.
_delete_db_cluster = RDSBackend.delete_db_cluster


def _delete_db_cluster_and_leave_global(self, cluster_identifier, *args, **kwargs):
    cluster = self.clusters.get(cluster_identifier)
    deleted = _delete_db_cluster(self, cluster_identifier, *args, **kwargs)
    global_id = getattr(cluster, "global_cluster_identifier", None)
    if global_id:
        for backend in list(rds_backends[self.account_id].values()):
            global_cluster = backend.global_clusters.get(global_id)
            if global_cluster is not None and cluster in global_cluster.members:
                global_cluster.members.remove(cluster)
    return deleted


RDSBackend.delete_db_cluster = _delete_db_cluster_and_leave_global
RDSResponse.create_global_cluster = _create_global_cluster_with_database
RDSResponse.modify_global_cluster = _modify_global_cluster

if __name__ == "__main__":
    main()
