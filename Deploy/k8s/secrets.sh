#!/usr/bin/env bash
# secrets.sh: creates the Secrets the manifests reference, from the operator's machine with
# kubectl access to the cluster. No secret is ever written into this repository; values are
# generated here and handed to kubectl, and only the bus keys are kept (see bus-keys).
#
#   secrets.sh app [--dev] [--database-url-file FILE] [-n NAMESPACE]
#       shouwang-token      the key that signs bearer tokens (every service replica shares it)
#       shouwang-integrator-token  the bus's own, for integrators' tokens on its event stream
#       with --dev:         shouwang-postgres (password) and shouwang-database (its URL) for
#                           the dev overlay's PostgreSQL
#       with --database-url-file FILE: shouwang-database from FILE (a managed PostgreSQL)
#     Existing Secrets are kept: rotating one is a deliberate act (README.md, "Rotating").
#
#   secrets.sh bus-keys [--database-secret NAME/KEY] [--no-port-forward] [--bin DIR] [-n NAMESPACE]
#       Runs Deploy/keys/provision.sh against the cluster's database (through `kubectl
#       port-forward` to the Service its URL names) and stores each process's key as a Secret:
#       shouwang-bus-server (bus.key) and shouwang-bus-key-SERVICE (client.key, bus.pub), the
#       console's included (shouwang-bus-key-console).
#       Run it after the migration Job has finished, and again at any time: registered keys
#       are kept, revoked ones replaced (and their Deployment restarted). The key files stay
#       in the git-ignored .local/k8s/NAMESPACE/keys (mode 0700), provision.sh's memory of
#       what it made; operator.key there is the CLI's own key for `shouwang tail` and status.
#       --database-secret: where the URL is (default shouwang-database/url, or CloudNativePG's
#       shouwang-db-app/uri when only that exists). --bin: where the `shouwang` CLI is
#       (default: on PATH, else this checkout's release or debug build).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
namespace=${SHOUWANG_K8S_NAMESPACE:-shouwang}
forwarder=""
trap '[ -z "$forwarder" ] || kill "$forwarder" 2>/dev/null || true' EXIT

die() { printf 'error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
random() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
exists() { kubectl -n "$namespace" get secret "$1" >/dev/null 2>&1; }
# create NAME KEY=VALUE...: a generic Secret from values that never touch the disk.
create() {
    local name=$1 pair
    shift
    # --from-literal puts values on kubectl's command line, visible to this host's users in
    # ps; an env file read from a pipe does not.
    kubectl -n "$namespace" create secret generic "$name" --from-env-file=/dev/stdin \
        < <(for pair in "$@"; do printf '%s\n' "$pair"; done) >/dev/null
    echo "created Secret $name"
}

command -v kubectl >/dev/null || die "kubectl is not installed"
[ $# -gt 0 ] || usage
command=$1
shift

app() {
    local dev=false url_file=""
    while [ $# -gt 0 ]; do
        case $1 in
            --dev) dev=true ;;
            --database-url-file) url_file=${2:?--database-url-file needs a file}; shift ;;
            -n) namespace=${2:?-n needs a namespace}; shift ;;
            *) usage ;;
        esac
        shift
    done
    kubectl get namespace "$namespace" >/dev/null 2>&1 || kubectl create namespace "$namespace" >/dev/null
    if exists shouwang-token; then echo "kept Secret shouwang-token"; else create shouwang-token "secret=$(random)"; fi
    if exists shouwang-integrator-token; then
        echo "kept Secret shouwang-integrator-token"
    else
        create shouwang-integrator-token "secret=$(random)"
    fi
    if $dev; then
        if exists shouwang-postgres; then
            echo "kept Secrets shouwang-postgres and shouwang-database"
        else
            local password
            password=$(random)
            create shouwang-postgres "password=$password"
            create shouwang-database "url=postgres://shouwang:$password@shouwang-postgres:5432/shouwang"
        fi
    fi
    if [ -n "$url_file" ]; then
        [ -s "$url_file" ] || die "$url_file is empty or missing"
        if exists shouwang-database; then echo "kept Secret shouwang-database"; else create shouwang-database "url=$(tr -d '\n' <"$url_file")"; fi
    fi
}

bus_keys() {
    local secret="" forward=true bin=""
    while [ $# -gt 0 ]; do
        case $1 in
            --database-secret) secret=${2:?--database-secret needs NAME/KEY}; shift ;;
            --no-port-forward) forward=false ;;
            --bin) bin=${2:?--bin needs a directory}; shift ;;
            -n) namespace=${2:?-n needs a namespace}; shift ;;
            *) usage ;;
        esac
        shift
    done
    if [ -z "$bin" ]; then
        if command -v shouwang >/dev/null; then bin=$(dirname "$(command -v shouwang)")
        elif [ -x "$repo/.build/release/shouwang" ]; then bin=$repo/.build/release
        elif [ -x "$repo/.build/debug/shouwang" ]; then bin=$repo/.build/debug
        else die "the shouwang CLI was not found: build it (swift build -c release --product shouwang) or give --bin DIR"
        fi
    fi
    if [ -z "$secret" ]; then
        secret=shouwang-database/url
        exists shouwang-database || ! exists shouwang-db-app || secret=shouwang-db-app/uri
    fi
    local url
    url=$(kubectl -n "$namespace" get secret "${secret%%/*}" -o "jsonpath={.data.${secret#*/}}" | base64 -d) ||
        die "cannot read the database URL from Secret ${secret%%/*} key ${secret#*/} in namespace $namespace"
    [ -n "$url" ] || die "Secret ${secret%%/*} has no key ${secret#*/}"

    if $forward; then
        # The Service is the URL's host up to the first dot (shouwang-db-rw.shouwang:5432).
        local host service port
        host=$(printf '%s' "$url" | sed -E 's#^[a-z]+://([^@/]*@)?([^/:?]+).*#\2#')
        service=${host%%.*}
        port=$((20000 + RANDOM % 20000))
        kubectl -n "$namespace" port-forward "service/$service" "$port:5432" >/dev/null 2>&1 &
        forwarder=$!
        local tries=0
        until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
            kill -0 "$forwarder" 2>/dev/null || die "kubectl port-forward to service/$service failed (is the database running?)"
            tries=$((tries + 1))
            [ $tries -lt 100 ] || die "kubectl port-forward to service/$service did not open within 10 s"
            sleep 0.1
        done
        url=$(printf '%s' "$url" | sed -E "s#^([a-z]+://([^@/]*@)?)[^/:?]+(:[0-9]+)?#\\1127.0.0.1:$port#")
    fi

    local keys="$repo/.local/k8s/$namespace/keys"
    (umask 077 && mkdir -p "$keys")
    SHOUWANG_DATABASE_URL=$url "$repo/Deploy/keys/provision.sh" "$keys" "$bin"

    # apply NAME DEPLOYMENT FILE...: the Secret from the key files; restarts DEPLOYMENT when
    # the Secret changed (a process reads its key once, at start).
    apply() {
        local name=$1 deployment=$2 result
        shift 2
        result=$(kubectl -n "$namespace" create secret generic "$name" "$@" --dry-run=client -o yaml |
            kubectl -n "$namespace" apply -f -)
        echo "$result"
        if [[ $result == *configured* ]] && kubectl -n "$namespace" get deployment "$deployment" >/dev/null 2>&1; then
            kubectl -n "$namespace" rollout restart deployment "$deployment"
        fi
    }
    apply shouwang-bus-server shouwang-bus --from-file=bus.key="$keys/bus.key"
    for service in intake matching supplies outreach console; do
        apply "shouwang-bus-key-$service" "shouwang-$service" \
            --from-file=client.key="$keys/$service.key" --from-file=bus.pub="$keys/bus.pub"
    done
    echo "bus keys are in Secrets; operator key for the CLI: $keys/operator.key (bus public key: $keys/bus.pub)"
}

case $command in
    app) app "$@" ;;
    bus-keys) bus_keys "$@" ;;
    *) usage ;;
esac
