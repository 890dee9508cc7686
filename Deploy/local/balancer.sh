# The local balancer: HAProxy from Debian's packages in front of every replica, on the
# services' well-known ports. Sourced by up.sh and the chaos suite's balancer round.
# The compose balancer (Deploy/compose/haproxy.cfg) makes the same choices and explains
# them at length; what differs here is only how replicas are found (listed, not DNS) and
# that loopback needs no TLS.
# shellcheck shell=bash

# write_balancer_config FILE LISTEN_HOST STATS_PORT SERVICE:PORT:REPLICA_PORT[,REPLICA_PORT...] ...
#   e.g. write_balancer_config .local/haproxy.cfg 127.0.0.1 8404 intake:8081:18081,18181 matching:8082:18082
write_balancer_config() {
    local file=$1 host=$2 stats=$3; shift 3
    local entry name port replicas replica n
    {
        cat <<CFG
# Written by Deploy/local/balancer.sh ($(date -u +%Y-%m-%dT%H:%MZ)); rewritten on every up.sh.
global
    log stdout format raw local0 info
    maxconn 4000
    hard-stop-after 30s
    tune.bufsize 65536

defaults
    mode http
    log global
    option httplog
    option dontlognull
    timeout connect 2s
    timeout client 60s
    timeout http-request 10s
    timeout http-keep-alive 10s
    timeout queue 10s
    timeout server 30s
    timeout check 2s
    # A refused connection is retried on another replica; a request that was sent is
    # replayed only when safe: a GET, or a write carrying an Idempotency-Key (see frontend).
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout 503
    # Traffic readiness: the database answers (without the bus a replica still serves).
    option httpchk
    http-check send meth GET uri /readyz?for=traffic ver HTTP/1.1 hdr Host balancer
    http-check expect status 200
    # At most 200 connections a replica: more wait in the balancer's queue, not in a replica's
    # listen backlog (256), where a flood turned into refused connections. So a refused
    # connection means a dead replica: three in a row take it out at once (a replica killed
    # and restarted within a second is otherwise never seen down by 2 s checks); two failed
    # checks do too.
    default-server check inter 2s fastinter 1s downinter 2s fall 2 rise 2 maxconn 200 observe layer4 error-limit 3 on-error mark-down

# Stats and the balancer's own liveness, on loopback only.
frontend operations
    bind $host:$stats
    monitor-uri /healthz
    stats enable
    stats uri /
    stats refresh 5s
CFG
        for entry in "$@"; do
            IFS=: read -r name port replicas <<<"$entry"
            cat <<CFG

frontend $name
    bind $host:$port
    # The edge: a client's own X-Forwarded-For is dropped, the balancer writes what it saw.
    http-request del-header X-Forwarded-For
    option forwardfor
    http-request disable-l7-retry if !METH_GET !{ req.hdr(Idempotency-Key) -m found }
    default_backend $name

backend $name
    balance roundrobin
    # A bulk import (a street's 4,000-row registry or a desk's volunteer sheet) is one
    # transaction that may run past the 30 s every other answer gets (docs/field/bulk-import.md).
    http-request set-timeout server 180s if { path_end :import }
CFG
            n=0
            for replica in ${replicas//,/ }; do
                n=$((n + 1))
                echo "    server $name-$n 127.0.0.1:$replica"
            done
        done
    } >"$file"
}

# start_balancer FILE PIDFILE LOG: starts HAProxy on FILE, or makes the running one take
# the new FILE without dropping a connection (old process finishes its requests, -sf).
start_balancer() {
    local file=$1 pidfile=$2 log=$3 old=""
    command -v haproxy >/dev/null || die "haproxy is not installed (apt-get install haproxy)"
    haproxy -q -c -f "$file" >/dev/null || { haproxy -c -f "$file" >&2; die "the balancer config $file is invalid"; }
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then old=$(cat "$pidfile"); fi
    if [ -n "$old" ]; then
        nohup haproxy -f "$file" -p "$pidfile" -sf "$old" >>"$log" 2>&1 &
    else
        nohup haproxy -f "$file" -p "$pidfile" >>"$log" 2>&1 &
    fi
    echo $! >"$pidfile"
}
