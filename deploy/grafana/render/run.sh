#!/usr/bin/env bash
# Makes deploy/grafana/redis-l1-dashboard.png from a real run: builds the agent and the Jedis
# sample, runs JedisDashboardLoad under the agent against an embedded Redis while scrape.py polls
# its /metrics every 2 s, then draws the dashboard's panels with matplotlib (render.py).
#   deploy/grafana/render/run.sh [seconds]     (default 300; needs python3-matplotlib)
set -euo pipefail
cd "$(dirname "$0")/../../.."
seconds="${1:-300}"
out=deploy/grafana/render/target
mkdir -p "$out"
"${PYTHON:-python3}" deploy/grafana/render/scrape.py http://127.0.0.1:9477/metrics "$out/scrapes.jsonl" 2 &
scraper=$!
trap 'kill "$scraper" 2>/dev/null || true' EXIT # a failed build must not leave it scraping
# One build makes the agent and runs the load (dashboard.phase), so nothing is installed into ~/.m2.
./mvnw -B -q -DskipTests -pl sample-apps/jedis -am package -Ddashboard.phase=package -Ddashboard.seconds="$seconds"
wait "$scraper"
"${PYTHON:-python3}" deploy/grafana/render/render.py "$out/scrapes.jsonl" deploy/grafana/redis-l1-dashboard.png
echo "wrote deploy/grafana/redis-l1-dashboard.png from $(wc -l < "$out/scrapes.jsonl") scrapes"
