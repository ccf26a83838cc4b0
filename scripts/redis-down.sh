#!/bin/sh
# Stops the Redis that redis-up.sh started and removes its files.
set -eu
REDISROOT=${REDISROOT:-/tmp/portal-redis}
if [ -f "$REDISROOT/redis.pid" ]; then
  kill "$(cat "$REDISROOT/redis.pid")" 2>/dev/null || true
fi
rm -rf "$REDISROOT"
