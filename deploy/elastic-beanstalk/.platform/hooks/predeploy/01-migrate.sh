#!/usr/bin/env bash
# Applies pending migrations with the new image before Elastic Beanstalk starts it. Every instance runs
# this hook; the migrator holds a PostgreSQL advisory lock, so the first applies them and the rest find
# nothing to do. A failure stops the deployment and the previous version keeps serving.
set -euo pipefail
image=$(jq -r '.Image.Name' /var/app/staging/Dockerrun.aws.json)
env_file=$(mktemp)
trap 'rm -f "$env_file"' EXIT
# The environment's properties and resolved secrets, as KEY=value lines for docker --env-file.
/opt/elasticbeanstalk/bin/get-config environment | jq -r 'to_entries[] | "\(.key)=\(.value)"' >"$env_file"
docker run --rm --env-file "$env_file" "$image" npm run migrate
