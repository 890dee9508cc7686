#!/bin/sh
# certs.sh: the balancer's TLS certificate. The one-shot `certs` container of
# docker-compose.yml runs it on every `docker compose up`, before the balancer starts.
#
#   SUPPLIED_DIR/shouwang.pem  a certificate you supply (private key + certificate chain,
#                              PEM, in one file): checked, then installed — on every start,
#                              so a renewed file takes effect at the next `up`
#   otherwise                  a self-signed certificate is made once (kept across restarts,
#                              renewed 30 days before it expires) for SHOUWANG_TLS_NAMES
#                              (comma-separated host names or IP addresses; default localhost)
#
# Output in TLS_DIR: shouwang.pem (key + chain, 0600, owned by OWNER — haproxy's uid:gid in
# its image, 99:99) and shouwang.crt (the certificate alone, 0644, for clients to trust).
# Needs only openssl and a POSIX shell; the container uses the postgres image, which has both.
set -eu
supplied=${SUPPLIED_DIR:-/supplied}
out=${TLS_DIR:-/tls}
owner=${OWNER:-}
names=${SHOUWANG_TLS_NAMES:-localhost}
umask 077
mkdir -p "$out"
pem="$out/shouwang.pem"

# The SHA-256 of a public key, from a certificate (x509) or from a private key (pkey).
fingerprint() {
    if [ "$1" = x509 ]; then
        openssl x509 -in "$2" -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1
    else
        openssl pkey -in "$2" -pubout -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1
    fi
}

if [ -s "$supplied/shouwang.pem" ]; then
    source="$supplied/shouwang.pem"
    openssl x509 -in "$source" -noout 2>/dev/null || { echo "error: $source holds no PEM certificate" >&2; exit 1; }
    openssl pkey -in "$source" -noout 2>/dev/null || { echo "error: $source holds no unencrypted PEM private key (HAProxy needs key and certificate in one file)" >&2; exit 1; }
    [ "$(fingerprint x509 "$source")" = "$(fingerprint pkey "$source")" ] ||
        { echo "error: the private key in $source does not belong to its (first) certificate" >&2; exit 1; }
    openssl x509 -in "$source" -noout -checkend 0 >/dev/null ||
        echo "warning: the certificate in $source has expired" >&2
    cp "$source" "$pem.new"
    mv -f "$pem.new" "$pem"
    echo "installed the supplied certificate: $(openssl x509 -in "$pem" -noout -subject -enddate | tr '\n' ' ')"
elif [ ! -s "$pem" ] || ! openssl x509 -in "$pem" -noout -checkend 2592000 >/dev/null 2>&1; then
    alternatives=""
    first=""
    for name in $(echo "$names" | tr ',' ' '); do
        case "$name" in
            *[!0-9.]*) case "$name" in *:*) entry="IP:$name" ;; *) entry="DNS:$name" ;; esac ;;
            *) entry="IP:$name" ;;
        esac
        alternatives="${alternatives:+$alternatives,}$entry"
        [ -n "$first" ] || first=$name
    done
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 825 \
        -subj "/O=Shouwang/CN=${first:-localhost}" -addext "subjectAltName=${alternatives:-DNS:localhost}" \
        -keyout "$out/key.new" -out "$out/crt.new" 2>/dev/null
    cat "$out/key.new" "$out/crt.new" >"$pem.new"
    rm -f "$out/key.new" "$out/crt.new"
    mv -f "$pem.new" "$pem"
    echo "made a self-signed certificate for $alternatives (valid 825 days); supply a real one as shouwang.pem, see Deploy/compose/README.md"
else
    echo "keeping the certificate in $pem: $(openssl x509 -in "$pem" -noout -subject -enddate | tr '\n' ' ')"
fi
openssl x509 -in "$pem" -out "$out/shouwang.crt"
chmod 0600 "$pem"
chmod 0644 "$out/shouwang.crt"
# The directory is the volume's root, which the balancer mounts: only HAProxy's user gets in.
chmod 0700 "$out"
[ -z "$owner" ] || chown "$owner" "$out" "$pem" "$out/shouwang.crt"
