#!/usr/bin/env bash
# ecsx's main job on the embedded local engine: the ECS developer guide's EC2 WordPress tutorial, end to end.
# No AWS account, no network, no Docker: the cluster, its instances and the containers are simulated by the
# local engine, persisted under $ECSX_HOME (here a throw-away folder in the repository).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export ECSX_HOME="${ECSX_HOME:-$root/.ecsx-demo}"
rm -rf "$ECSX_HOME"
ecsx() { echo; echo "\$ ecsx $*"; node "$root/bin/run.js" "$@"; }
cd "$root/examples/wordpress"

ecsx configure --cluster ec2-tutorial --region us-east-1 --default-launch-type EC2 --config-name ec2-tutorial
ecsx up --size 2 --instance-type t2.medium --capability-iam --cluster-config ec2-tutorial
ecsx compose up --create-log-groups --cluster-config ec2-tutorial
ecsx ps --cluster-config ec2-tutorial
ecsx compose scale 2 --cluster-config ec2-tutorial
ecsx ps --cluster-config ec2-tutorial
ecsx compose down --cluster-config ec2-tutorial
ecsx compose service up --cluster-config ec2-tutorial
ecsx compose service ps --cluster-config ec2-tutorial
ecsx engine status --cluster-config ec2-tutorial
ecsx compose service rm --cluster-config ec2-tutorial
ecsx down --force --cluster-config ec2-tutorial
echo
echo "Demo finished: the WordPress tutorial ran on the local engine (state was in $ECSX_HOME)."
