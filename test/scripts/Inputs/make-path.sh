#!/usr/bin/env bash
# make-path.sh DIR: a directory for PATH holding the real tools the setup
# scripts use (symlinks) and the fakes of fake/ (npm, dpkg-query, apt-get,
# id), so that a test controls what the scripts find and what they run.
set -euo pipefail
dir=$1
mkdir -p "$dir"
for tool in bash env grep dirname mktemp cat rm mkdir chmod cp; do
  ln -sf "$(command -v "$tool")" "$dir/$tool"
done
cp "$(dirname "${BASH_SOURCE[0]}")"/fake/* "$dir/"
# What fake apt-get "installs" as npm.
cp "$dir/npm" "$dir/.fake-npm"
chmod +x "$dir/npm" "$dir/.fake-npm" "$dir/dpkg-query" "$dir/apt-get" "$dir/id"
