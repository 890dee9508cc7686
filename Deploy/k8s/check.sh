#!/usr/bin/env bash
# check.sh [ROOT]: renders ROOT/base and every overlay under ROOT/overlays (default ROOT: the
# directory of this script) with `kubectl kustomize` and validates the output against the Kubernetes JSON
# schemas (validate.py: kubernetes-validate's bundled schemas, offline, strict; the
# CloudNativePG resources against validate.py's own). Exits non-zero on any broken manifest.
#
# kubernetes-validate is installed on first use into the git-ignored .local/k8s-validate
# virtualenv; later runs skip pip. KUBERNETES_VERSIONS (default "1.29 1.35") are the oldest
# and newest Kubernetes the manifests must suit.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
root="$(cd "${1:-$here}" && pwd)"
package="kubernetes-validate==1.37.0"
read -r -a versions <<<"${KUBERNETES_VERSIONS:-1.29 1.35}"

source "$repo/Deploy/local/lib.sh"
die() { printf 'error: %s\n' "$*" >&2; exit 2; }

command -v kubectl >/dev/null ||
    die "kubectl is not installed: install kubectl 1.27 or newer (it embeds kustomize v5), e.g. the kubectl package of the Kubernetes project's apt repository; Debian's kubernetes-client is too old"
kustomize_version=$(kubectl version --client -o json 2>/dev/null | sed -n 's/.*"kustomizeVersion": *"v\{0,1\}\([0-9]*\).*/\1/p')
[ "${kustomize_version:-0}" -ge 5 ] ||
    die "kubectl $(kubectl version --client 2>/dev/null | head -n 1) embeds kustomize ${kustomize_version:-unknown}; these manifests need kustomize v5 (kubectl 1.27 or newer)"
command -v python3 >/dev/null || die "python3 is not installed (Debian: apt-get install python3 python3-venv)"

venv_bin=$(python_venv k8s-validate "$package")

rendered="$(mktemp -d "$repo/.local/k8s-check.XXXXXX")"
trap 'rm -rf "$rendered"' EXIT

# The base too: an overlay's patch can hide a broken value in it (replicas, for one).
targets=(base)
for overlay in "$root"/overlays/*/; do
    [ -f "$overlay/kustomization.yaml" ] && targets+=("overlays/$(basename "$overlay")")
done
[ ${#targets[@]} -gt 1 ] || die "no overlay with a kustomization.yaml under $root/overlays"

status=0
files=()
for target in "${targets[@]}"; do
    name=${target##*/}
    if kubectl kustomize "$root/$target" >"$rendered/$name.yaml" 2>"$rendered/$name.err"; then
        files+=("$rendered/$name.yaml")
    else
        printf 'FAIL %s does not render:\n' "$target"
        sed 's/^/    /' "$rendered/$name.err"
        status=1
    fi
done
args=()
for version in "${versions[@]}"; do args+=(-k "$version"); done
if [ ${#files[@]} -gt 0 ]; then
    (cd "$rendered" && "$venv_bin/python" "$here/validate.py" "${args[@]}" "${files[@]##*/}") || status=1
fi
if [ "$status" -eq 0 ]; then
    echo "ok: ${targets[*]} render and validate"
else
    echo "FAILED: see above" >&2
fi
exit "$status"
