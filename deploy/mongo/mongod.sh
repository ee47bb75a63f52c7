#!/usr/bin/env bash
# Starts one replica-set member. mongod refuses a key file that others can read, and a compose
# secret arrives as a bind mount with the host's owner and mode, so it is copied first.
set -euo pipefail
install -m 0400 -o mongodb -g mongodb /run/secrets/mongo_keyfile /etc/mongo-keyfile
exec docker-entrypoint.sh mongod --replSet "${MONGO_REPLICA_SET:?}" --bind_ip_all --keyFile /etc/mongo-keyfile "$@"
