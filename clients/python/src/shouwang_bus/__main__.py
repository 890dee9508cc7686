"""``python -m shouwang_bus``: make a key, check the connection, read the heads.

    python -m shouwang_bus keygen my.key        # secret to my.key (mode 0600), public key printed
    python -m shouwang_bus public-key my.key    # the public half of a secret key file
    python -m shouwang_bus ping                 # does the bus answer and accept my key?
    python -m shouwang_bus heads intake.        # the last seq of every topic under a prefix

The bus's endpoints and keys come from SHOUWANG_BUS_SUBSCRIBE, SHOUWANG_BUS_REPLAY,
SHOUWANG_BUS_SERVER_KEY and SHOUWANG_BUS_SECRET_KEY_FILE (docs/INTEGRATORS.md).
"""

import argparse
import json
import os
import sys

import zmq

from .connection import BusEndpoints, BusError, heads, ping


def keygen(path: str) -> int:
    if os.path.exists(path):
        print(f"{path} exists: not overwriting a secret key", file=sys.stderr)
        return 1
    public, secret = zmq.curve_keypair()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secret.decode("ascii") + "\n")
    print(public.decode("ascii"))
    return 0


def public_key(path: str) -> int:
    with open(path, encoding="utf-8") as handle:
        secret = handle.read().strip()
    print(zmq.curve_public(secret.encode("ascii")).decode("ascii"))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shouwang_bus", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("keygen", help="make a CURVE key pair").add_argument("file")
    commands.add_parser("public-key", help="print a secret key file's public key").add_argument("file")
    commands.add_parser("ping", help="check that the bus answers and accepts this key")
    commands.add_parser("heads", help="print the head of every topic under a prefix").add_argument("prefix")
    args = parser.parse_args(argv)
    if args.command == "keygen":
        return keygen(args.file)
    if args.command == "public-key":
        return public_key(args.file)
    try:
        endpoints = BusEndpoints.from_env()
        if args.command == "ping":
            ping(endpoints, timeout=2)
            print(f"the bus at {endpoints.replay} answered and accepts key {endpoints.public_key}")
        else:
            print(json.dumps(heads(args.prefix, endpoints), indent=1, sort_keys=True))
    except BusError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
