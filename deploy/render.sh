#!/usr/bin/env bash
# Fills the deployment templates for one environment: staging and production share every file here and
# differ only by environments/<name>/{app,aws}.env.
# Usage: deploy/render.sh staging|production [out-dir]   (needs envsubst, from gettext)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
env_name=${1:?usage: deploy/render.sh staging|production [out-dir]}
vars_dir="$here/environments/$env_name"
[ -d "$vars_dir" ] || { echo "no environment '$env_name' under $here/environments" >&2; exit 1; }
out=${2:-"$here/out/$env_name"}
mkdir -p "$out/ecs" "$out/elastic-beanstalk"

# Export the environment's values, and substitute only those names, so any other `$` is left alone.
set -a
# shellcheck disable=SC1091
. "$vars_dir/app.env"
# shellcheck disable=SC1091
. "$vars_dir/aws.env"
set +a
names=$(grep -hoE '^[A-Z][A-Z0-9_]*=' "$vars_dir/app.env" "$vars_dir/aws.env" | tr -d = | sed 's/^/$/' | tr '\n' ' ')

for f in "$here"/ecs/*.json; do envsubst "$names" <"$f" >"$out/ecs/$(basename "$f")"; done

# The Elastic Beanstalk source bundle: the image to run, the shared configuration, the migration hook.
eb="$out/elastic-beanstalk"
rm -rf "$eb" && mkdir -p "$eb/.ebextensions"
cp -R "$here/elastic-beanstalk/.platform" "$eb/"
for f in "$here"/elastic-beanstalk/.ebextensions/*.config; do
  envsubst "$names" <"$f" >"$eb/.ebextensions/$(basename "$f")"
done
envsubst "$names" <"$here/elastic-beanstalk/Dockerrun.aws.json" >"$eb/Dockerrun.aws.json"
(cd "$eb" && rm -f ../nexa-crm-eb.zip && zip -qr ../nexa-crm-eb.zip Dockerrun.aws.json .ebextensions .platform)
echo "Rendered $env_name into $out (Elastic Beanstalk bundle: $out/nexa-crm-eb.zip)"
