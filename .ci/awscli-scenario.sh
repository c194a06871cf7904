#!/usr/bin/env bash
# The official AWS CLI (v2, Debian's /usr/bin/aws) as an outside client of `ecsx engine serve`:
# clusters, a container instance, task definition revisions, RunTask, a service and a rolling update, errors.
# Asserts on the CLI's JSON output; any mismatch fails loudly. The server is always stopped (trap).
# Needs dist/ (npm run build). Uses only loopback; any AWS credentials are accepted by the engine.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

AWS=/usr/bin/aws   # bare `aws` may be a pip v1 on this machine; the scenario targets v2
if [[ ! -x $AWS ]]; then
  echo "== installing Debian's awscli (v2)"
  apt-get update -qq && apt-get install -y -qq awscli >/dev/null
fi
[[ -f dist/commands/engine/serve.js ]] || { echo "== building (dist/ missing)"; npm run build --silent; }

WORK=$(mktemp -d -t ecsx-awscli-XXXXXX)
SERVER_PID=""
cleanup() {
  local rc=$?
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ $rc -ne 0 && -f $WORK/server.log ]]; then echo "--- engine serve log:"; cat "$WORK/server.log"; fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT INT TERM

fail() { echo "FAIL: $*" >&2; exit 1; }

# ---- start the server on a free port (it prints the URL it really bound)
mkdir -p "$WORK/home" "$WORK/ecsx"
: >"$WORK/server.log"   # exists before the first poll below (the background redirect may open it later)
HOME="$WORK/home" ECSX_HOME="$WORK/ecsx" NO_COLOR=1 CI=true \
  node "$ROOT/bin/run.js" engine serve --port 0 --verbose 2>"$WORK/server.log" &
SERVER_PID=$!
URL=""
for _ in $(seq 1 200); do
  URL=$(sed -n 's/^Listening on \(http:\/\/[^ ]*\)$/\1/p' "$WORK/server.log" | head -1 || true)
  [[ -n $URL ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || fail "engine serve exited before listening"
  sleep 0.1
done
[[ -n $URL ]] || fail "engine serve did not print 'Listening on …' within 20 s"
grep -q "^export AWS_ENDPOINT_URL_ECS=$URL\$" "$WORK/server.log" || fail "engine serve did not print the export line for $URL"
echo "== engine serve at $URL ($($AWS --version 2>&1))"

export HOME="$WORK/home" AWS_ACCESS_KEY_ID=AKIDECSXCLITEST01 AWS_SECRET_ACCESS_KEY=ecsx-cli-test-secret
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_CONFIG_FILE="$WORK/home/none" AWS_SHARED_CREDENTIALS_FILE="$WORK/home/none"
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_ECS

# ecs <args…>  → runs the CLI against the server, JSON on stdout (saved in $WORK/out.json)
ecs() {
  "$AWS" --endpoint-url "$URL" --output json ecs "$@" >"$WORK/out.json" 2>"$WORK/err.txt" ||
    fail "aws ecs $* exited $?: $(cat "$WORK/err.txt")"
}
# check "<python expression over d (the parsed JSON)>" "<what it means>"
check() {
  python3 - "$WORK/out.json" "$1" "$2" <<'PY' || exit 1
import json, sys
path, expr, what = sys.argv[1], sys.argv[2], sys.argv[3]
d = json.load(open(path))
try:
    ok = eval(expr, {"d": d, "len": len, "all": all, "any": any, "set": set, "sorted": sorted})
except Exception as e:  # a missing key is a failed assertion, not a crash
    ok, err = False, e
else:
    err = None
if not ok:
    print(f"FAIL: {what}\n  expected: {expr}" + (f"\n  error: {err!r}" if err else "") + "\n  got: " + json.dumps(d, indent=1)[:3000], file=sys.stderr)
    sys.exit(1)
print(f"ok  - {what}")
PY
}
value() { python3 -c "import json,sys; d=json.load(open('$WORK/out.json')); print($1)"; }

# ---- clusters
ecs create-cluster --cluster-name cli --tags key=team,value=blue
check "d['cluster']['clusterName'] == 'cli' and d['cluster']['status'] == 'ACTIVE'" "create-cluster returns an ACTIVE cluster"
check "d['cluster']['clusterArn'].endswith(':cluster/cli') and d['cluster']['clusterArn'].startswith('arn:aws:ecs:us-east-1:')" "cluster ARN has the ECS format"
ecs describe-clusters --clusters cli nope
check "[c['clusterName'] for c in d['clusters']] == ['cli'] and d['failures'][0]['reason'] == 'MISSING'" "describe-clusters lists unknown clusters as MISSING failures"

# ---- a container instance, registered the way the agent does
ecs register-container-instance --cluster cli \
  --instance-identity-document '{"instanceId":"i-0a1b2c3d4e5f60001","instanceType":"t2.medium","availabilityZone":"us-east-1a","region":"us-east-1","privateIp":"10.0.1.15"}' \
  --total-resources '[{"name":"CPU","type":"INTEGER","integerValue":2048},{"name":"MEMORY","type":"INTEGER","integerValue":3955},{"name":"PORTS","type":"STRINGSET","stringSetValue":["22","2375","2376","51678","51679"]}]' \
  --attributes name=stack,value=prod
check "d['containerInstance']['status'] == 'ACTIVE' and d['containerInstance']['agentConnected'] is True" "register-container-instance: ACTIVE and connected"
check "d['containerInstance']['ec2InstanceId'] == 'i-0a1b2c3d4e5f60001'" "the EC2 instance id comes from the identity document"
check "[r['integerValue'] for r in d['containerInstance']['registeredResources'] if r['name'] == 'CPU'] == [2048]" "registered CPU is what the agent reported"
INSTANCE_ARN=$(value "d['containerInstance']['containerInstanceArn']")
ecs list-container-instances --cluster cli --filter "attribute:stack == prod"
check "d['containerInstanceArns'] == ['$INSTANCE_ARN']" "list-container-instances --filter uses the cluster query language"

# ---- task definitions from a file, two revisions
cat >"$WORK/sleep360.json" <<'JSON'
{
  "family": "sleep360",
  "containerDefinitions": [
    {"name": "sleep", "image": "busybox", "cpu": 10, "memory": 10, "essential": true, "command": ["sleep", "360"],
     "portMappings": [{"containerPort": 8080, "hostPort": 0, "protocol": "tcp"}]}
  ]
}
JSON
ecs register-task-definition --cli-input-json "file://$WORK/sleep360.json"
check "d['taskDefinition']['family'] == 'sleep360' and d['taskDefinition']['revision'] == 1 and d['taskDefinition']['status'] == 'ACTIVE'" "register-task-definition --cli-input-json → sleep360:1"
ecs register-task-definition --cli-input-json "file://$WORK/sleep360.json"
check "d['taskDefinition']['revision'] == 2" "registering again → revision 2"
ecs list-task-definitions --family-prefix sleep360
check "[a.rsplit(':', 1)[1] for a in d['taskDefinitionArns']] == ['1', '2']" "list-task-definitions shows both revisions"

# ---- standalone tasks
ecs run-task --cluster cli --task-definition sleep360:1 --count 2 --started-by awscli
check "len(d['tasks']) == 2 and d['failures'] == []" "run-task --count 2 places two tasks"
check "all(t['lastStatus'] == 'PENDING' and t['desiredStatus'] == 'RUNNING' for t in d['tasks'])" "new tasks start PENDING with desiredStatus RUNNING"
check "all(t['containerInstanceArn'] == '$INSTANCE_ARN' and t['group'] == 'family:sleep360' for t in d['tasks'])" "tasks are on the instance, in group family:sleep360"
TASKS=$(value "' '.join(t['taskArn'] for t in d['tasks'])")
# shellcheck disable=SC2086
for _ in $(seq 1 30); do
  ecs describe-tasks --cluster cli --tasks $TASKS
  [[ $(value "all(t['lastStatus'] == 'RUNNING' for t in d['tasks'])") == True ]] && break
  sleep 1
done
check "all(t['lastStatus'] == 'RUNNING' for t in d['tasks']) and len(d['tasks']) == 2" "describe-tasks: both tasks reach RUNNING"
check "all(isinstance(t['startedAt'], str) and t['startedAt'].startswith('20') for t in d['tasks'])" "timestamps arrive as dates (the CLI formats epoch seconds)"
check "all(t['containers'][0]['networkBindings'][0]['containerPort'] == 8080 and t['containers'][0]['networkBindings'][0]['hostPort'] >= 32768 for t in d['tasks'])" "dynamic host ports are bound from the ephemeral range"
ecs list-tasks --cluster cli --started-by awscli
check "len(d['taskArns']) == 2" "list-tasks --started-by finds the two tasks"
FIRST_TASK=${TASKS%% *}
ecs stop-task --cluster cli --task "$FIRST_TASK" --reason "stopped by the awscli scenario"
check "d['task']['desiredStatus'] == 'STOPPED'" "stop-task sets desiredStatus STOPPED"

# ---- a service and a rolling update
ecs create-service --cluster cli --service-name api --task-definition sleep360:1 --desired-count 1
check "d['service']['status'] == 'ACTIVE' and d['service']['desiredCount'] == 1" "create-service: ACTIVE with desiredCount 1"
check "len(d['service']['deployments']) == 1 and d['service']['deployments'][0]['status'] == 'PRIMARY'" "a new service has one PRIMARY deployment"
ecs update-service --cluster cli --service api --task-definition sleep360:2 --desired-count 2
check "sorted(x['status'] for x in d['service']['deployments']) == ['ACTIVE', 'PRIMARY']" "update-service to a new revision starts a deployment"
check "[x['taskDefinition'] for x in d['service']['deployments'] if x['status'] == 'PRIMARY'][0].endswith('sleep360:2')" "the PRIMARY deployment runs sleep360:2"
for _ in $(seq 1 60); do
  ecs describe-services --cluster cli --services api
  [[ $(value "len(d['services'][0]['deployments']) == 1 and d['services'][0]['runningCount'] == 2") == True ]] && break
  sleep 1
done
check "d['services'][0]['runningCount'] == 2 and len(d['services'][0]['deployments']) == 1" "describe-services: the rolling update completes with 2 running"
check "d['services'][0]['taskDefinition'].endswith('sleep360:2')" "the service now runs sleep360:2"
check "any('has started' in e['message'] for e in d['services'][0]['events'])" "service events record started tasks"
ecs list-tasks --cluster cli --service-name api
check "len(d['taskArns']) == 2" "list-tasks --service-name lists the service's two tasks"

# ---- errors keep ECS's exception names and the CLI's exit code
if "$AWS" --endpoint-url "$URL" ecs delete-cluster --cluster nope >"$WORK/out.json" 2>"$WORK/err.txt"; then
  fail "delete-cluster of a missing cluster succeeded"
else
  rc=$?
  [[ $rc -eq 254 ]] || fail "delete-cluster of a missing cluster exited $rc (expected 254)"
fi
grep -q "ClusterNotFoundException" "$WORK/err.txt" || fail "expected ClusterNotFoundException, got: $(cat "$WORK/err.txt")"
echo "ok  - errors surface as ClusterNotFoundException with exit code 254"
if "$AWS" --endpoint-url "$URL" ecs run-task --cluster cli --task-definition sleep360 --count 11 >"$WORK/out.json" 2>"$WORK/err.txt"; then
  fail "run-task --count 11 succeeded"
fi
grep -q "InvalidParameterException" "$WORK/err.txt" || fail "expected InvalidParameterException, got: $(cat "$WORK/err.txt")"
echo "ok  - run-task --count 11 → InvalidParameterException"

# ---- graceful shutdown
kill -TERM "$SERVER_PID"
for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$SERVER_PID" 2>/dev/null; then fail "engine serve did not stop on SIGTERM within 5 s"; fi
wait "$SERVER_PID" && status=0 || status=$?
[[ $status -eq 0 ]] || fail "engine serve exited $status on SIGTERM (expected 0)"
grep -q "^Stopped (SIGTERM) after [0-9]* requests" "$WORK/server.log" || fail "no shutdown line in the server log"
SERVER_PID=""
echo "== AWS CLI scenario passed"
