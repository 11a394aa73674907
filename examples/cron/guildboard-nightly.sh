#!/usr/bin/env bash
# guildboard-nightly.sh: collect a GitHub organisation into guildboard's database, on one machine.
#
# Run it from cron (see examples/cron/crontab) or by hand. It is quiet when all went well; when
# something failed it exits non-zero and prints the end of its log, which cron mails to MAILTO.
#
#   1. `guildboard db upgrade` (a new database's tables, or a new guildboard's migrations);
#   2. GUILDBOARD_SHARDS=1: one `guildboard collect github ORG --resume` (an interrupted run is
#      continued, else a new one is started);
#      GUILDBOARD_SHARDS=N>1: N shards of one run at once (`--run RUN_ID --shard K/N`, in the
#      background), then `guildboard seal RUN_ID`. When a shard fails, the run stays unsealed and
#      invisible; the next start of this script runs the same RUN_ID again: the finished shards
#      and the failed one's finished repositories are reused, and the seal makes the snapshot.
#
# Settings, from the environment (a crontab line can set them):
#   GUILDBOARD_ORG         the organisation (required)
#   GUILDBOARD_DB          database URL (default sqlite:///$XDG_DATA_HOME/guildboard/guildboard.db)
#   GUILDBOARD_TOKEN_FILE  the token(s), one a line; must be readable by its owner only
#                          (default ~/.config/guildboard/token). With N shards, shard K uses line
#                          K (wrapping around): tokens of different accounts spread the rate limit.
#   GUILDBOARD_SHARDS      how many collectors at once (default 1)
#   GUILDBOARD_COLLECT_ARGS more `collect github` options, split on spaces (e.g. "--teams /etc/guildboard/teams.yaml")
#   GITHUB_API_URL         GitHub Enterprise Server: https://HOST/api/v3 (guildboard reads it)
#   GUILDBOARD             the guildboard executable (default: guildboard on PATH)
#   GUILDBOARD_STATE_DIR   logs, the lock and the pending run's id (default $XDG_STATE_HOME/guildboard)
#
# Exit codes: 0 done; 75 another run holds the lock (nothing collected); anything else: failed.
set -euo pipefail
umask 077

org=${GUILDBOARD_ORG:?set GUILDBOARD_ORG to the organisation to collect}
guildboard=${GUILDBOARD:-guildboard}
shards=${GUILDBOARD_SHARDS:-1}
token_file=${GUILDBOARD_TOKEN_FILE:-$HOME/.config/guildboard/token}
state_dir=${GUILDBOARD_STATE_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/guildboard}
export GUILDBOARD_DB=${GUILDBOARD_DB:-sqlite:///${XDG_DATA_HOME:-$HOME/.local/share}/guildboard/guildboard.db}
read -r -a extra_args <<<"${GUILDBOARD_COLLECT_ARGS:-}"

if ! [[ $shards =~ ^[1-9][0-9]*$ ]] || ((shards > 256)); then
	echo "guildboard-nightly: GUILDBOARD_SHARDS must be a number from 1 to 256, not '$shards'" >&2
	exit 2
fi

mkdir -p "$state_dir"

# One run at a time: a second start (a slow night, a manual run) leaves without collecting.
exec 9>"$state_dir/nightly.lock"
if ! flock -n 9; then
	echo "guildboard-nightly: another run holds $state_dir/nightly.lock; not collecting" >&2
	exit 75
fi

# Everything below goes to the log; stderr stays on fd 3 for the summary cron mails.
mkdir -p "$state_dir/logs"
log="$state_dir/logs/$(date -u +%Y-%m-%dT%H%M%SZ).log"
exec 3>&2 >>"$log" 2>&1
find "$state_dir/logs" -name '*.log' -mtime +30 -delete
say() { echo "$(date -u +%H:%M:%S) $*"; }
on_exit() {
	local rc=$?
	if ((rc != 0)); then
		{
			echo "guildboard-nightly: failed (exit $rc); the log is $log. Its end:"
			tail -n 25 "$log"
		} >&3
	fi
}
trap on_exit EXIT

# The token: from a file only its owner reads, never on a command line (where `ps` shows it).
if [[ ! -f $token_file || ! -r $token_file ]]; then
	say "no token file at $token_file (one token a line, chmod 600)"
	exit 2
fi
if [[ -n $(find "$token_file" -maxdepth 0 -perm /077) ]]; then
	say "$token_file can be read by others: chmod 600 it first"
	exit 2
fi
tokens=()
while read -r line || [[ -n $line ]]; do
	line=${line%%#*}
	line=${line//[[:space:]]/}
	[[ -n $line ]] && tokens+=("$line")
done <"$token_file"
if ((${#tokens[@]} == 0)); then
	say "$token_file holds no token"
	exit 2
fi

if ! command -v "$guildboard" >/dev/null; then
	say "no guildboard at '$guildboard': install it, or set GUILDBOARD to its path"
	exit 2
fi
version=$("$guildboard" --version)
say "${version/, version/}: organisation $org, $shards shard(s)"

# 1. Migrations first, so a new guildboard never meets a database behind it.
if ! out=$("$guildboard" db upgrade 2>&1); then
	echo "$out"
	exit 1
fi
say "$out"

# 2a. One collector.
if ((shards == 1)); then
	GITHUB_TOKEN=${tokens[0]} "$guildboard" collect github "$org" --resume --quiet "${extra_args[@]}"
	say "done"
	exit 0
fi

# 2b. N shards of one run, then the seal. The run's id is kept until it is sealed, so a failed
# night is finished by the next start rather than left behind; a run begun with another
# guildboard, organisation, shard count or options cannot be finished (its shards would be
# refused) and is left for a new one. Delete the pending-run file to start afresh by hand.
pending="$state_dir/pending-run"
settings="$version|$org|$shards|${GUILDBOARD_COLLECT_ARGS:-}"
run_id=""
if [[ -f $pending ]]; then
	{ read -r run_id && read -r run_settings; } <"$pending" || true
	if [[ ${run_settings:-} == "$settings" ]]; then
		say "continuing the unsealed run $run_id"
	else
		say "the unsealed run $run_id was begun with other settings (${run_settings:-?}): starting a new run"
		run_id=""
	fi
fi
if [[ -z $run_id ]]; then
	run_id="cron-$(date -u +%Y%m%dT%H%M%SZ)"
	printf '%s\n%s\n' "$run_id" "$settings" >"$pending"
fi

run_shard() {
	local k=$1 token=${tokens[($1 - 1) % ${#tokens[@]}]}
	GITHUB_TOKEN=$token "$guildboard" collect github "$org" --run "$run_id" \
		--shard "$k/$shards" --quiet "${extra_args[@]}" 2>&1 | sed -u "s/^/[shard $k] /"
}
failed=()
pids=()
for ((k = 1; k <= shards; k++)); do
	run_shard "$k" &
	pids+=("$!")
done
for ((k = 1; k <= shards; k++)); do
	if ! wait "${pids[k - 1]}"; then
		failed+=("$k/$shards")
	fi
done
if ((${#failed[@]} > 0)); then
	say "shard(s) ${failed[*]} failed: run $run_id stays unsealed; the next start of this script continues it"
	exit 1
fi
"$guildboard" seal "$run_id"
rm -f "$pending"
say "done"
