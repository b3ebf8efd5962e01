#!/usr/bin/env bash
# Checks deploy/docker/Dockerfile without a container engine:
#   - base images are Debian 12 with a pinned tag (never :latest or untagged);
#   - the build stage installs exactly the README's packages (scripts/setup);
#   - the runtime image runs as a numeric non-root user, listens on 8080;
#   - every runtime package exists in Debian 12 (apt-cache);
#   - every shared library that a shipped executable loads (ldd of build/bin) is owned by a
#     runtime package (dpkg -S), so the slim image can run it;
#   - the image stage copies the executable named by EXECUTABLE and starts it.
# Usage: image_runtime_test.sh SOURCE_DIR BIN_DIR BUILT_EXECUTABLE...
# BUILT_EXECUTABLE: the executables this CMake tree defines (the Dockerfile may name one that a
# pending issue has not written yet; that one is reported, not checked).
set -uo pipefail

source_dir=$1
bin_dir=$2
shift 2
built=("$@")
dockerfile=$source_dir/deploy/docker/Dockerfile
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

[[ -f $dockerfile ]] || { echo "FAIL: $dockerfile is missing" >&2; exit 1; }
if ! grep -q '^12' /etc/debian_version 2>/dev/null; then
  echo "FAIL: this check needs a Debian 12 host (apt-cache, dpkg); found $(cat /etc/debian_version 2>/dev/null || echo none)" >&2
  exit 1
fi

# The Dockerfile with continuation lines joined and comments dropped: one instruction a line.
instructions=$(sed -e '/^[[:space:]]*#/d' "$dockerfile" | sed -e ':a' -e '/\\$/N; s/\\\n/ /; ta')

# Value of `ARG NAME="..."` (first occurrence), words separated by single spaces.
arg_value() {
  grep -E "^ARG $1=" <<<"$instructions" | head -n1 | sed -E "s/^ARG $1=\"?([^\"]*)\"?.*/\1/" |
    tr -s ' ' '\n' | sed '/^$/d' | sort -u
}

# --- base images
while read -r _ image _; do
  [[ $image =~ ^debian:(12|bookworm)(-slim|-[0-9]{8}-slim)?(@sha256:[0-9a-f]{64})?$ ]] ||
    fail "FROM $image: not a pinned Debian 12 image"
done < <(grep -E '^FROM ' <<<"$instructions" | grep -vE '^FROM (build|runtime)( |$)')
grep -qE '^FROM debian:(12|bookworm)[^ ]*-slim[^ ]* AS runtime$' <<<"$instructions" ||
  fail "no 'FROM debian:12-slim AS runtime' stage"

# --- build packages = scripts/setup's build packages
setup_packages=$(sed -n '/^packages=(/,/^)/p' "$source_dir/scripts/setup" |
  sed -e 's/^packages=(//' -e 's/)$//' | tr -s ' ' '\n' | sed '/^$/d' | sort -u)
build_packages=$(arg_value BUILD_PACKAGES)
[[ -n $setup_packages ]] || fail "could not read packages=(...) from scripts/setup"
if [[ $setup_packages != "$build_packages" ]]; then
  fail "BUILD_PACKAGES differ from scripts/setup: $(diff <(echo "$setup_packages") <(echo "$build_packages") | grep '^[<>]' | tr '\n' ' ')"
fi

# --- runtime user, port
runtime_section=$(sed -n '/^FROM .* AS runtime$/,/^FROM /p' <<<"$instructions")
user=$(grep -E '^USER ' <<<"$runtime_section" | tail -n1 | awk '{print $2}')
[[ $user =~ ^([0-9]+)(:[0-9]+)?$ ]] && ((BASH_REMATCH[1] != 0)) ||
  fail "runtime USER '$user' is not a numeric non-root uid"
grep -qE '^EXPOSE 8080$' <<<"$runtime_section" || fail "runtime stage does not EXPOSE 8080"
grep -qE '^ENV .*PORT=8080' <<<"$runtime_section" || fail "runtime stage does not set PORT=8080"

# --- runtime packages exist in Debian 12
runtime_packages=$(arg_value RUNTIME_PACKAGES)
[[ -n $runtime_packages ]] || fail "no ARG RUNTIME_PACKAGES in the runtime stage"
grep -qF '${RUNTIME_PACKAGES}' <<<"$runtime_section" || fail "runtime stage does not install \${RUNTIME_PACKAGES}"
# One apt-cache call for all (each call decompresses the package lists: seconds).
known=$(apt-cache show --no-all-versions $runtime_packages 2>/dev/null | sed -n 's/^Package: //p' | sort -u)
for package in $runtime_packages; do
  grep -qx "$package" <<<"$known" ||
    fail "runtime package $package does not exist in this Debian 12's archive (apt-cache show)"
  [[ $package == *-dev ]] && fail "runtime package $package is a development package"
done
# libc6 is part of every Debian image (the base system depends on it).
provided=$(printf '%s\nlibc6\n' "$runtime_packages" | sort -u)

# The package owning a library path; ldd prints /lib paths, dpkg may know the /usr/lib one
# (usrmerge) or the versioned file behind the soname link. One dpkg -S call per executable.
owners_of() {
  local candidates=() path
  for path in "$@"; do
    candidates+=("$path" "/usr$path" "$(realpath -e "$path" 2>/dev/null || echo "$path")")
  done
  dpkg -S "${candidates[@]}" 2>/dev/null | sed -nE 's/^([^:,]+)(:[a-z0-9]+)?: (.*)$/\3 \1/p'
}
owner_of() {  # owner_of PATH OWNERS_TABLE
  local path=$1 table=$2 candidate
  for candidate in "$path" "/usr$path" "$(realpath -e "$path" 2>/dev/null)"; do
    awk -v p="$candidate" '$1 == p {print $2; found = 1; exit} END {exit !found}' <<<"$table" &&
      return 0
  done
  return 1
}

# --- the image stage: the executable named by EXECUTABLE, from the build stage, started
service_section=$(sed -n '/^FROM runtime AS service$/,$p' <<<"$instructions")
[[ -n $service_section ]] || fail "no final 'FROM runtime AS service' stage"
grep -qx 'COPY --from=build /src/build-release/bin/${EXECUTABLE} /usr/local/bin/service' \
  <<<"$service_section" || fail "the service stage does not copy bin/\${EXECUTABLE}"
grep -qx 'ENTRYPOINT \["/usr/local/bin/service"\]' <<<"$service_section" ||
  fail "the service stage does not start /usr/local/bin/service"
shipped=$(grep -E '^RUN cmake --preset release ' <<<"$instructions" | sed -E 's/.*--target //' |
  tr -s ' ' '\n' | sed '/^$/d')
[[ -n $shipped ]] || fail "the build stage builds no --target"
for exe in "${built[@]}"; do
  grep -qx "$exe" <<<"$shipped" || fail "the image build does not ship $exe (--target)"
done
used_packages=""
for exe in $shipped; do
  if ! printf '%s\n' "${built[@]}" | grep -qx "$exe"; then
    echo "note: $exe is not defined by this CMake tree yet; its libraries are unchecked"
    continue
  fi
  binary=$bin_dir/$exe
  [[ -x $binary ]] || { fail "$binary is missing: build it first"; continue; }
  ldd_out=$(ldd "$binary" 2>&1) || { fail "ldd $binary failed: $ldd_out"; continue; }
  grep -q 'not found' <<<"$ldd_out" && fail "$exe: unresolved libraries: $(grep 'not found' <<<"$ldd_out")"
  libraries=$(awk '/=>/ && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' <<<"$ldd_out" | sort -u)
  # shellcheck disable=SC2086 # one path per word
  table=$(owners_of $libraries)
  for library in $libraries; do
    owner=$(owner_of "$library" "$table") || { fail "$exe: no Debian package owns $library"; continue; }
    used_packages+="$owner"$'\n'
    grep -qx "$owner" <<<"$provided" ||
      fail "$exe loads $library from package $owner, which the runtime image does not install"
  done
  echo "ok: $exe: $(awk '/=>/ {print $1}' <<<"$ldd_out" | tr '\n' ' ')"
done

# Packages named but loaded by no checked binary: not an error (a pending executable may need
# them, and ca-certificates is data), but worth seeing.
for package in $runtime_packages; do
  grep -qx "$package" <<<"$used_packages" || echo "note: $package is loaded by no checked executable"
done

if ((failures)); then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "image checks passed"
