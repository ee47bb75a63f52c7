#!/usr/bin/env bash
# Creates the files compose.yaml mounts as secrets, each only if missing, in
# ${DISCLOSURE_SECRETS_DIR:-deploy/secrets}. Values are random; the MongoDB URI is built anew from the
# app password at every run, so that the two cannot disagree: to change that password, write the new
# one into mongo_app_password and run this again.
set -euo pipefail
dir=${DISCLOSURE_SECRETS_DIR:-"$(cd "$(dirname "$0")" && pwd)/secrets"}
mkdir -p "$dir"
chmod 0700 "$dir"
# Files are readable by all because the containers read them as their own users (mongodb, 1654)
# through a bind mount; the directory's mode is what keeps other host users out.
umask 022

put() { [ -s "$dir/$1" ] || printf '%s' "$2" > "$dir/$1"; }
random() { head -c "$1" /dev/urandom | base64 | tr -d '\n/+=' ; }

put admin_key "$(random 32)"
put mongo_root_password "$(random 24)"
put mongo_app_password "$(random 24)"
put mongo_keyfile "$(random 756)"
printf '%s' "mongodb://disclosure:$(cat "$dir/mongo_app_password")@mongo1:27017,mongo2:27017,mongo3:27017/disclosure?replicaSet=rs0&authSource=disclosure" > "$dir/mongo_uri"
echo "secrets in $dir"
