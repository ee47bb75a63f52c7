#!/usr/bin/env bash
# One-shot: initiates the replica set on first start and (re)sets the API's database user.
# Safe to run on every `docker compose up`: each step checks what is already there.
set -euo pipefail
export MONGO_ROOT_PASSWORD MONGO_APP_PASSWORD
MONGO_ROOT_PASSWORD=$(cat /run/secrets/mongo_root_password)
MONGO_APP_PASSWORD=$(cat /run/secrets/mongo_app_password)

# Passwords travel in the environment of mongosh, not on its command line, where ps would show them.
mongosh --quiet "mongodb://${MONGO_FIRST_MEMBER:?}/?directConnection=true" --file /scripts/rs-initiate.js
mongosh --quiet "mongodb://${MONGO_MEMBERS:?}/?replicaSet=${MONGO_REPLICA_SET:?}" --file /scripts/app-user.js
