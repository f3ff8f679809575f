#!/usr/bin/env bash
# Mutation check (issue 18): disables, one at a time, each of the security-relevant checks below with a one-line
# source edit, rebuilds the fast test project(s) that should notice, runs them, and reports KILLED (at least one test
# failed) or SURVIVED (every test passed: the check is not covered). Every edited file is backed up and restored by an
# EXIT trap, also on failure or Ctrl-C; the tree is rebuilt unmutated at the end. Exit status is non-zero when a
# mutation survived or did not apply/compile. Not run in CI; results are recorded in docs/testing.md.
#
# Only the fast projects are used (no external services): Dockyard.Http.Tests, Dockyard.Core.Tests,
# Dockyard.Signing.Tests (needs openssl and gpg on PATH), Dockyard.Local.Tests, and the in-process classes of
# Dockyard.Volumes.Tests.
#
# Each mutation names one or more "project|filter" targets, run in order until one fails. A filter only narrows
# the run to the folders whose tests exercise the mutated door (to keep each run short); MUTATIONS_FULL=1 drops the
# filters and runs the whole projects. MUTATIONS_ONLY="1 5 9" runs a subset.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

backup_dir="$(mktemp -d)"
# Build and test output of each mutation, kept after the run.
log_dir="${MUTATIONS_LOG_DIR:-$root/.state/mutations}"
mkdir -p "$log_dir"
declare -a backed_up=()
results=()
failed=0

restore() {
  local file
  for file in "${backed_up[@]}"; do
    cp "$backup_dir/$(echo "$file" | tr / _)" "$root/$file"
  done
  backed_up=()
}
cleanup() {
  restore
  rm -rf "$backup_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# apply FILE OLD NEW: replaces the single occurrence of OLD (a literal string) in FILE by NEW; fails otherwise.
apply() {
  local file="$1" old="$2" new="$3"
  cp "$root/$file" "$backup_dir/$(echo "$file" | tr / _)"
  backed_up+=("$file")
  MUT_FILE="$root/$file" MUT_OLD="$old" MUT_NEW="$new" python3 -c '
import os, sys
path, old, new = os.environ["MUT_FILE"], os.environ["MUT_OLD"], os.environ["MUT_NEW"]
text = open(path, encoding="utf-8").read()
count = text.count(old)
if count != 1:
    sys.exit(f"{path}: expected exactly one occurrence of the mutated text, found {count}")
open(path, "w", encoding="utf-8").write(text.replace(old, new))
'
}

# mutate ID NAME FILE OLD NEW TARGET...   (TARGET = "tests/Project|filter", filter may be empty)
mutate() {
  local id="$1" name="$2" file="$3" old="$4" new="$5"
  shift 5
  if [ -n "${MUTATIONS_ONLY:-}" ] && [[ " $MUTATIONS_ONLY " != *" $id "* ]]; then
    return
  fi
  echo "=== mutation $id: $name ($file)"
  local start=$SECONDS outcome="SURVIVED" killer="-" target project filter log
  if ! apply "$file" "$old" "$new"; then
    outcome="NOT-APPLIED"
  else
    for target in "$@"; do
      project="${target%%|*}"
      filter="${target#*|}"
      [ "${MUTATIONS_FULL:-0}" = 1 ] && filter=""
      log="$log_dir/mutation-$id.log"
      if ! dotnet build "$project" -c Release -nologo -v:q >"$log" 2>&1; then
        tail -20 "$log"
        outcome="BUILD-FAILED"
        break
      fi
      local args=("$project" -c Release --no-build -nologo)
      [ -n "$filter" ] && args+=(--filter "$filter")
      if ! dotnet test "${args[@]}" >"$log" 2>&1; then
        outcome="KILLED"
        # The names of the failing tests, as the test logger prints them.
        killer="$(grep -aE '^\s*Failed [A-Za-z_]' "$log" | sed -E 's/^\s*Failed //; s/ \[.*//; s/\(.*//' | awk '!seen[$0]++' | head -3 | paste -sd ';' -)"
        [ -n "$killer" ] || killer="$(basename "$project") (no test named: see $log)"
        break
      fi
    done
  fi
  restore
  local elapsed=$((SECONDS - start))
  echo "    $outcome in ${elapsed}s; killed by: $killer"
  results+=("$id|$name|$outcome|${elapsed}s|$killer")
  [ "$outcome" = KILLED ] || failed=1
}

http=tests/Dockyard.Http.Tests
signing=tests/Dockyard.Signing.Tests
local_tests=tests/Dockyard.Local.Tests
# Only its in-process classes (no dockerd) are named by the filters below; MUTATIONS_FULL=1 runs it whole (dockerd).
volumes=tests/Dockyard.Volumes.Tests

mutate 1 "mount source read (from=)" registry/Dockyard.Http/V2/BlobUploadHandler.cs \
  ".HasFlag(RepositoryActions.Pull);" ".HasFlag(RepositoryActions.None);" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.V2.BlobMount|FullyQualifiedName~Dockyard.Http.Tests.Auth"

mutate 2 "pull access (RequestAuthorizer)" registry/Dockyard.Http/Auth/RequestAuthorizer.cs \
  "if ((granted & needed) == needed)" "if ((granted & needed) == needed || requirement == AccessRequirement.Pull)" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.Auth"

mutate 3 "push access (RequestAuthorizer)" registry/Dockyard.Http/Auth/RequestAuthorizer.cs \
  "if ((granted & needed) == needed)" "if ((granted & needed) == needed || requirement == AccessRequirement.Push)" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.Auth"

mutate 4 "delete access (RequestAuthorizer)" registry/Dockyard.Http/Auth/RequestAuthorizer.cs \
  "if ((granted & needed) == needed)" "if ((granted & needed) == needed || requirement == AccessRequirement.Delete)" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.Auth"

mutate 5 "token scope (GrantedBy → all actions)" registry/Dockyard.Http/Auth/RequestAuthorizer.cs \
  ".Aggregate(RepositoryActions.None, (all, a)" ".Aggregate(RepositoryActions.All, (all, a)" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.Auth"

mutate 6 "account door scope (registry:account:*)" registry/Dockyard.Http/Auth/RequestAuthorizer.cs \
  "a.IsRegistryWide(ResourceScope.AccountName)) != true)" "a.IsRegistryWide(ResourceScope.AccountName)) is null)" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.Auth|FullyQualifiedName~Dockyard.Http.Tests.Uam"

mutate 7 "V1 image repository scoping (token repository)" registry/Dockyard.Http/V1/V1ImageHandler.cs \
  "if ((await access.GetActionsAsync(tokenRepository, cancellationToken) & needed) != needed)" \
  "if ((await access.GetActionsAsync(tokenRepository, cancellationToken) & needed) != needed && needed == RepositoryActions.None)" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.V1|FullyQualifiedName~Dockyard.Http.Tests.Auth"

mutate 8 "V1 image repository scoping (repositories holding the image)" registry/Dockyard.Http/V1/V1ImageHandler.cs \
  "(await access.GetActionsAsync(repository, cancellationToken) & needed) != needed)" \
  "(await access.GetActionsAsync(repository, cancellationToken) & needed) != needed && needed == RepositoryActions.None)" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.V1|FullyQualifiedName~Dockyard.Http.Tests.Auth"

mutate 9 "signature policy on pull (CheckAsync)" signing/Dockyard.Signing/Verification/SignatureVerificationService.cs \
  "if (cache.Contains(repository, digest, rule.Index))" \
  "if (cache.Contains(repository, digest, rule.Index) || digest == content.Record.Digest)" \
  "$signing|FullyQualifiedName~Dockyard.Signing.Tests.Verification" \
  "$http|FullyQualifiedName~SigningPolicy"

mutate 10 "HMAC on decrypt (DecryptingStream)" signing/Dockyard.Signing/Encryption/DecryptingStream.cs \
  "FixedTimeEquals(actual, expectedHmac)" "FixedTimeEquals(actual, actual)" \
  "$signing|FullyQualifiedName~Dockyard.Signing.Tests.Encryption"

mutate 11 "digest verification on upload (BlobUploadService)" registry/Dockyard.Core/Uploads/BlobUploadService.cs \
  "if (actual != digest)" "if (actual != digest && actual == digest)" \
  "$local_tests|FullyQualifiedName~Dockyard.Local.Tests.Uploads" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.V2.BlobUpload"

mutate 12 "signature policy on appc conversion (AciConverter guard)" registry/Dockyard.Core/Appc/AciConverter.cs \
  $'await guard.CheckAsync(repository, content, cancellationToken);\n        var manifest = ' \
  'var manifest = ' \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.Appc"

mutate 13 "metrics bearer token (MetricsHandler)" registry/Dockyard.Http/Telemetry/MetricsHandler.cs \
  "FixedTimeEquals(sent, tokenHash)" "FixedTimeEquals(sent, sent)" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.Telemetry.MetricsTests"

mutate 14 "GC sweep re-checks links after condemning (BlobSweeper)" registry/Dockyard.Core/Collection/BlobSweeper.cs \
  "if (await metadata.BlobLinks.IsLinkedAnywhereAsync(blob.Digest, cancellationToken))" \
  "if (blob.Size < 0 && await metadata.BlobLinks.IsLinkedAnywhereAsync(blob.Digest, cancellationToken))" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.Collection"

mutate 15 "a request checks a blob it links survives collection (BlobLinker)" registry/Dockyard.Core/Collection/BlobLinker.cs \
  "        if (lost.Count == 0)" "        lost.Clear();
        if (lost.Count == 0)" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.Collection"

mutate 16 "GC grace period (GarbageCollector cut-off)" registry/Dockyard.Core/Collection/GarbageCollector.cs \
  "var cutoff = time.GetUtcNow() - options.Delay;" "var cutoff = time.GetUtcNow();" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.Collection"

mutate 17 "team grants shown only for repositories the caller may pull (TeamService)" registry/Dockyard.Core/Accounts/TeamService.cs \
  ".HasFlag(RepositoryActions.Pull))" ".HasFlag(RepositoryActions.None))" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.Uam.UamOrganizationTests"

mutate 18 "a password change ends tokens (credential stamp, RequestAuthorizer)" registry/Dockyard.Http/Auth/RequestAuthorizer.cs \
  "(stamp is null || stamp == CredentialStamp.Of(user))" "(stamp is null || stamp.Length >= 0)" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.Uam.UamPasswordChangeTests"

mutate 19 "acpush staged bytes count against the quota (AciPushService)" registry/Dockyard.Core/Appc/AciPushService.cs \
  "await AciPushReservation.AddAsync(metadata.Uploads, upload, part);" "await Task.CompletedTask;" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.Appc.AciPushQuotaTests"

mutate 20 "acpush start under the per-client upload cap (PushHandler)" registry/Dockyard.Http/Appc/PushHandler.cs \
  "await admission.EnsureCanOpenAsync(client, context.RequestAborted);" "await admission.EnsureCanOpenAsync(\"mutated:\" + client, context.RequestAborted);" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.Appc.AciPushQuotaTests"

mutate 21 "an upload is its opener's (UploadAdmission.MayContinue)" registry/Dockyard.Core/Quotas/UploadAdmission.cs \
  "opener is null || !opener.StartsWith(AccountPrefix, StringComparison.Ordinal) || opener == caller;" "opener is null || opener.Length >= 0;" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.Auth.UploadSessionOwnershipTests"

mutate 22 "a failed V1 layer PUT cancels its session (V1ImageService)" registry/Dockyard.Core/V1/V1ImageService.cs \
  "await uploads.CancelQuietlyAsync(repository, session.Id);" "await Task.CompletedTask;" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.V1.V1BadInputTests"

mutate 23 "resources per token request capped (TokenHandler)" registry/Dockyard.Http/Token/TokenHandler.cs \
  "if (scopes.Count > MaxScopes)" "if (scopes.Count > int.MaxValue - 1)" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.Auth.TokenEndpointTests"

mutate 24 "a volume index places nothing through its own links (VolumeMaterializer)" launcher/Dockyard.Launcher/Volumes/VolumeMaterializer.cs \
  "VolumeTree.CheckPlacement(version.Index.Entries);" "_ = version.Index.Entries;" \
  "$volumes|FullyQualifiedName~Dockyard.Volumes.Tests.Snapshots.HostileIndexTests"

mutate 25 "tar metadata entries capped before the reader allocates (TarHeaderGuard)" registry/Dockyard.Core/Appc/TarHeaderGuard.cs \
  "if (metadata && size > MaxMetadataBytes)" "if (metadata && size > long.MaxValue - 1)" \
  "tests/Dockyard.Core.Tests|FullyQualifiedName~Dockyard.Core.Tests.Appc.TarHeaderGuardTests"

mutate 26 "paths an ACI conversion remembers capped (AciLayerFlattener)" registry/Dockyard.Core/Appc/AciLayerFlattener.cs \
  "            Remember(path);" "            _ = path;" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.Appc.AciHostileLayerTests"

mutate 27 "an ACI conversion fits in the namespace's quota (AciConverter)" registry/Dockyard.Core/Appc/AciConverter.cs \
  "quota.Bound(repository, tar, left - file.Length)" "quota.Bound(repository, tar, Math.Max(left, long.MaxValue))" \
  "$http|FullyQualifiedName~Dockyard.Http.Tests.Appc.AciHostileLayerTests"

mutate 28 "manifest keys read alike by Go clients and the registry (ManifestKeys)" registry/Dockyard.Core/Manifests/ManifestParser.cs \
  "                ManifestKeys.RequireUnambiguous(root);" "                _ = root;" \
  "tests/Dockyard.Core.Tests|FullyQualifiedName~Dockyard.Core.Tests.Manifests.ManifestParserTests"

echo
echo "Rebuilding the unmutated fast test projects"
for project in "$http" "$signing" "$local_tests" "$volumes" tests/Dockyard.Core.Tests; do
  dotnet build "$project" -c Release -nologo -v:q >/dev/null
done

echo
printf '%-3s | %-62s | %-12s | %-6s | %s\n' "#" "mutation" "result" "time" "killed by"
for row in "${results[@]}"; do
  IFS='|' read -r id name outcome elapsed killer <<<"$row"
  printf '%-3s | %-62s | %-12s | %-6s | %s\n' "$id" "$name" "$outcome" "$elapsed" "$killer"
done
exit "$failed"
