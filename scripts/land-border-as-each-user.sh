#!/bin/sh
# Run against a server with the demo loaded (make run): sh scripts/land-border-as-each-user.sh [URL]
# As each kind of user: map layers, patrols seen, and whether a field start is accepted.
U=${1:-http://127.0.0.1:8000}
for who in agent.yj li.officer ma.village he.auxiliary nong.post lu.auxiliary wei.police huang.command; do
  T=$(curl -s -X POST $U/api/v1/auth/token -H 'content-type: application/json' \
      -d "{\"username\":\"$who\",\"password\":\"bastion-demo\"}" | python3 -c "import sys,json;print(json.load(sys.stdin)['access_token'])")
  layers=$(curl -s -H "Authorization: Bearer $T" $U/api/v1/border/map | python3 -c "import sys,json;d=json.load(sys.stdin);print(','.join(sorted(d.get('layers',{}).keys())) if 'layers' in d else d.get('detail'))" 2>/dev/null)
  patrols=$(curl -s -H "Authorization: Bearer $T" "$U/api/v1/patrols?limit=1" | python3 -c "import sys,json;d=json.load(sys.stdin);print(d.get('total', d.get('detail')))")
  start=$(curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $T" -H 'content-type: application/json' \
      -X POST $U/api/v1/patrols/field/start -d "{\"op_id\":\"$(cat /proc/sys/kernel/random/uuid)\",\"patrol_id\":\"$(cat /proc/sys/kernel/random/uuid)\",\"transport\":\"foot\",\"device_at\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}")
  echo "$who | map: $layers | patrols: $patrols | field start: $start"
done
