#!/usr/bin/env bash
# One-shot: initiates the replica set on first start and (re)sets the API's database user.
# Safe to run on every `docker compose up`: each step checks what is already there.
set -euo pipefail
export MONGO_ROOT_PASSWORD MONGO_APP_PASSWORD
MONGO_ROOT_PASSWORD=$(cat /run/secrets/mongo_root_password)
MONGO_APP_PASSWORD=$(cat /run/secrets/mongo_app_password)

# The first member may still be in its image's first-start phase (creating the root user on
# localhost only) although its health check passed; wait until it answers over the network.
for _ in $(seq 1 60); do
  mongosh --quiet "mongodb://${MONGO_FIRST_MEMBER:?}/?directConnection=true" --eval 'db.hello().ok' >/dev/null 2>&1 && break
  sleep 2
done

# Passwords travel in the environment of mongosh, not on its command line, where ps would show them.
mongosh --quiet "mongodb://${MONGO_FIRST_MEMBER:?}/?directConnection=true" --file /scripts/rs-initiate.js
mongosh --quiet "mongodb://${MONGO_MEMBERS:?}/?replicaSet=${MONGO_REPLICA_SET:?}" --file /scripts/app-user.js
