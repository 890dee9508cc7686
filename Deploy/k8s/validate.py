"""Validates rendered Kubernetes manifests; run by check.sh inside its virtualenv.

usage: validate.py -k VERSION [-k VERSION ...] RENDERED.yaml ...

Built-in kinds are checked with kubernetes-validate's bundled JSON schemas (offline), in
strict mode, so an unknown field (a typo such as `readinesProbe`) fails as well as a wrong
type. Unlike the `kubernetes-validate` command, a resource with no schema is an error, not
a warning: a wrong apiVersion would otherwise pass unchecked.

Custom resources have no schema in that package. The ones Shouwang uses are listed in
CUSTOM_RESOURCES with a hand-written schema of the fields we rely on (types, required
fields, and the set of known top-level spec fields, so a misspelt one fails); any other
custom resource fails until it is added here. These are not the operators' full CRD
schemas: a server-side dry run against a cluster with the CRDs installed is the complete
check (README.md, "CI").
"""

import argparse
import functools
import sys

import jsonschema
import kubernetes_validate.utils as kv
import yaml

# Every schema file is read once, not once per resource.
kv.schema_contents = functools.lru_cache(maxsize=None)(kv.schema_contents)

QUANTITY = {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|M|G|T)?$"}
NAME = {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "maxLength": 63}
STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
SECRET_KEY_SELECTOR = {
    "type": "object",
    "required": ["name", "key"],
    "additionalProperties": False,
    "properties": {"name": NAME, "key": {"type": "string"}},
}


def custom_resource(api_version, kind, spec):
    return {
        "type": "object",
        "required": ["apiVersion", "kind", "metadata", "spec"],
        "additionalProperties": False,
        "properties": {
            "apiVersion": {"const": api_version},
            "kind": {"const": kind},
            "metadata": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": NAME, "namespace": NAME, "labels": STRING_MAP, "annotations": STRING_MAP},
            },
            "spec": spec,
        },
    }


# CloudNativePG 1.25's Cluster: all of its top-level spec fields are known (so a typo fails);
# the ones Shouwang sets are typed.
CNPG_CLUSTER_SPEC_FIELDS = [
    "affinity", "backup", "bootstrap", "certificates", "description", "enablePDB",
    "enableSuperuserAccess", "env", "envFrom", "ephemeralVolumeSource", "ephemeralVolumesSizeLimit",
    "externalClusters", "failoverDelay", "imageCatalogRef", "imageName", "imagePullPolicy",
    "imagePullSecrets", "inheritedMetadata", "instances", "livenessProbeTimeout", "logLevel",
    "managed", "maxSyncReplicas", "minSyncReplicas", "monitoring", "nodeMaintenanceWindow",
    "plugins", "postgresGID", "postgresUID", "postgresql", "primaryUpdateMethod",
    "primaryUpdateStrategy", "priorityClassName", "probes", "projectedVolumeTemplate", "replica",
    "replicationSlots", "resources", "schedulerName", "seccompProfile", "serviceAccountTemplate",
    "smartShutdownTimeout", "startDelay", "stopDelay", "storage", "superuserSecret",
    "switchoverDelay", "tablespaces", "topologySpreadConstraints", "walStorage",
]
CNPG_STORAGE = {
    "type": "object",
    "required": ["size"],
    "additionalProperties": False,
    "properties": {
        "size": QUANTITY,
        "storageClass": {"type": "string"},
        "resizeInUseVolumes": {"type": "boolean"},
        "pvcTemplate": {"type": "object"},
    },
}
CNPG_CLUSTER = custom_resource("postgresql.cnpg.io/v1", "Cluster", {
    "type": "object",
    "required": ["instances", "storage"],
    "additionalProperties": False,
    "properties": {
        **{field: {} for field in CNPG_CLUSTER_SPEC_FIELDS},
        "instances": {"type": "integer", "minimum": 1},
        "imageName": {"type": "string"},
        "primaryUpdateStrategy": {"enum": ["unsupervised", "supervised"]},
        "storage": CNPG_STORAGE,
        "walStorage": CNPG_STORAGE,
        "inheritedMetadata": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"labels": STRING_MAP, "annotations": STRING_MAP},
        },
        "postgresql": {
            "type": "object",
            "properties": {
                # PostgreSQL settings are strings to CNPG: `max_connections: 800` is refused.
                "parameters": STRING_MAP,
                "synchronous": {
                    "type": "object",
                    "required": ["method", "number"],
                    "additionalProperties": False,
                    "properties": {
                        "method": {"enum": ["any", "first"]},
                        "number": {"type": "integer", "minimum": 1},
                        "dataDurability": {"enum": ["required", "preferred"]},
                        "maxStandbyNamesFromCluster": {"type": "integer"},
                        "standbyNamesPre": {"type": "array", "items": {"type": "string"}},
                        "standbyNamesPost": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        },
        "bootstrap": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "initdb": {
                    "type": "object",
                    "properties": {"database": {"type": "string"}, "owner": {"type": "string"}},
                },
                "recovery": {"type": "object"},
                "pg_basebackup": {"type": "object"},
            },
        },
        "affinity": {
            "type": "object",
            "properties": {
                "enablePodAntiAffinity": {"type": "boolean"},
                "topologyKey": {"type": "string"},
                "podAntiAffinityType": {"enum": ["preferred", "required"]},
            },
        },
        "resources": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"requests": {"type": "object", "additionalProperties": QUANTITY},
                           "limits": {"type": "object", "additionalProperties": QUANTITY}},
        },
        "backup": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "retentionPolicy": {"type": "string", "pattern": "^[1-9][0-9]*[dwm]$"},
                "target": {"enum": ["primary", "prefer-standby"]},
                "volumeSnapshot": {"type": "object"},
                "barmanObjectStore": {
                    "type": "object",
                    "required": ["destinationPath"],
                    "additionalProperties": False,
                    "properties": {
                        "destinationPath": {"type": "string", "minLength": 1},
                        "endpointURL": {"type": "string"},
                        "endpointCA": {"type": "object"},
                        "serverName": {"type": "string"},
                        "s3Credentials": {
                            "type": "object",
                            "additionalProperties": False,
                            "properties": {
                                "accessKeyId": SECRET_KEY_SELECTOR,
                                "secretAccessKey": SECRET_KEY_SELECTOR,
                                "region": SECRET_KEY_SELECTOR,
                                "sessionToken": SECRET_KEY_SELECTOR,
                                "inheritFromIAMRole": {"type": "boolean"},
                            },
                        },
                        "azureCredentials": {"type": "object"},
                        "googleCredentials": {"type": "object"},
                        "wal": {
                            "type": "object",
                            "properties": {
                                "compression": {"enum": ["bzip2", "gzip", "lz4", "snappy", "xz", "zstd"]},
                                "maxParallel": {"type": "integer", "minimum": 1},
                            },
                        },
                        "data": {
                            "type": "object",
                            "properties": {
                                "compression": {"enum": ["bzip2", "gzip", "lz4", "snappy", "xz", "zstd"]},
                                "jobs": {"type": "integer", "minimum": 1},
                            },
                        },
                        "tags": STRING_MAP,
                        "historyTags": STRING_MAP,
                    },
                },
            },
        },
    },
})

CNPG_SCHEDULED_BACKUP = custom_resource("postgresql.cnpg.io/v1", "ScheduledBackup", {
    "type": "object",
    "required": ["cluster", "schedule"],
    "additionalProperties": False,
    "properties": {
        "cluster": {"type": "object", "required": ["name"], "additionalProperties": False, "properties": {"name": NAME}},
        # Six fields: CNPG's schedule starts with seconds, unlike a CronJob's.
        "schedule": {"type": "string", "pattern": r"^\S+( \S+){5}$"},
        "backupOwnerReference": {"enum": ["none", "self", "cluster"]},
        "method": {"enum": ["barmanObjectStore", "volumeSnapshot", "plugin"]},
        "target": {"enum": ["primary", "prefer-standby"]},
        "immediate": {"type": "boolean"},
        "suspend": {"type": "boolean"},
        "online": {"type": "boolean"},
        "onlineConfiguration": {"type": "object"},
        "pluginConfiguration": {"type": "object"},
    },
})

CUSTOM_RESOURCES = {
    ("postgresql.cnpg.io/v1", "Cluster"): CNPG_CLUSTER,
    ("postgresql.cnpg.io/v1", "ScheduledBackup"): CNPG_SCHEDULED_BACKUP,
}


def where(error):
    return ".".join(str(part) for part in error.absolute_path) or "(top level)"


def check(resource, versions):
    """The problems of one rendered resource, as lines; empty when it is valid."""
    if not isinstance(resource, dict) or "apiVersion" not in resource or "kind" not in resource:
        return ["a document without apiVersion and kind"]
    key = (resource["apiVersion"], resource["kind"])
    if key in CUSTOM_RESOURCES:
        validator = jsonschema.Draft202012Validator(CUSTOM_RESOURCES[key])
        return [f"{where(e)}: {e.message} (Shouwang's schema of {key[1]}, validate.py)"
                for e in sorted(validator.iter_errors(resource), key=lambda e: list(e.absolute_path))]
    problems = []
    for version in versions:
        try:
            kv.validate(resource, version, strict=True)
        except kv.ValidationError as e:
            problems.append(f"{where(e)}: {e.message} (Kubernetes {e.version})")
        except kv.SchemaNotFoundError:
            problems.append(
                f"no schema for {key[1]} in {key[0]} (Kubernetes {version}): a wrong apiVersion or kind, an API "
                "removed in that version, or a custom resource validate.py does not know (add it to CUSTOM_RESOURCES)"
            )
    return problems


def main():
    parser = argparse.ArgumentParser(description="Validate rendered Kubernetes manifests.")
    parser.add_argument("-k", "--kubernetes-version", action="append", required=True, dest="versions")
    parser.add_argument("files", nargs="+")
    arguments = parser.parse_args()
    failed = False
    for path in arguments.files:
        with open(path) as stream:
            try:
                resources = [r for r in yaml.safe_load_all(stream) if r is not None]
            except yaml.YAMLError as e:
                print(f"FAIL {path}: not YAML: {e}")
                failed = True
                continue
        custom = 0
        file_failed = not resources
        for resource in resources:
            problems = check(resource, arguments.versions)
            if isinstance(resource, dict):
                custom += (resource.get("apiVersion"), resource.get("kind")) in CUSTOM_RESOURCES
                name = f"{resource.get('kind')}/{(resource.get('metadata') or {}).get('name')}"
            else:
                name = "?"
            for problem in problems:
                print(f"FAIL {path}: {name}: {problem}")
            file_failed = file_failed or bool(problems)
        if not resources:
            print(f"FAIL {path}: renders nothing")
        failed = failed or file_failed
        note = f", {custom} custom resource(s) against validate.py's own schemas" if custom else ""
        print(f"{'INVALID' if file_failed else 'valid'} {path}: {len(resources)} resources, "
              f"Kubernetes {' and '.join(arguments.versions)}{note}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
