# SPDX-License-Identifier: GPL-2.0
#
# apt.sh - atcbench's private apt configuration, sourced by fetch.sh,
# qemu-ats.sh, source.sh and run.sh: its own APT_CONFIG (architecture
# arm64), lists, cache and status under $cache/apt, the Debian mirror the
# machine's apt uses, the suites bookworm, its backports and security,
# trixie-backports and sid (binary packages) and bookworm with its
# security updates (sources).  The machine's apt set-up is not touched.
#
# Needs: $cache, and die() from the script that sources it.
apt=$cache/apt

for tool in apt-get apt-cache; do
	command -v $tool >/dev/null || die "$tool is missing (a Debian system has it)"
done

# The mirror the machine's apt uses (deb822 or one-line sources)
mirror() {
	local m
	m=$(sed -n 's,^URIs: *\(https\?://[^ ]*/debian\)/\?$,\1,p' \
		/etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
	[[ -n $m ]] || m=$(sed -n 's,^deb \(\[[^]]*\] \)\?\(https\?://[^ ]*/debian\)/\? .*,\2,p' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n 1)
	echo "${m:-http://deb.debian.org/debian}"
}

apt_setup() {
	local m keyring=/usr/share/keyrings/debian-archive-keyring.gpg s
	[[ -f $keyring ]] || die "no $keyring (package debian-archive-keyring)"
	m=$(mirror)
	mkdir -p "$apt"/{lists/partial,archives/partial,etc/apt.conf.d,etc/preferences.d,etc/sources.list.d}
	: >"$apt/status"
	{
		for s in bookworm bookworm-backports trixie-backports sid; do
			echo "deb [arch=arm64 signed-by=$keyring] $m $s main"
		done
		echo "deb [arch=arm64 signed-by=$keyring] ${m%/debian}/debian-security bookworm-security main"
		echo "deb-src [signed-by=$keyring] $m bookworm main"
		echo "deb-src [signed-by=$keyring] ${m%/debian}/debian-security bookworm-security main"
	} >"$apt/etc/sources.list"
	cat >"$apt/apt.conf" <<-EOF
		APT::Architecture "arm64";
		APT::Architectures { "arm64"; };
		Dir::State "$apt";
		Dir::State::Lists "$apt/lists";
		Dir::State::status "$apt/status";
		Dir::Cache "$apt";
		Dir::Cache::Archives "$apt/archives";
		Dir::Etc::SourceList "$apt/etc/sources.list";
		Dir::Etc::SourceParts "$apt/etc/sources.list.d";
		Dir::Etc::Parts "$apt/etc/apt.conf.d";
		Dir::Etc::Preferences "$apt/etc/preferences";
		Dir::Etc::PreferencesParts "$apt/etc/preferences.d";
		Acquire::Languages "none";
		Acquire::Check-Valid-Until "false";
		APT::Sandbox::User "root";
	EOF
}

# apt with the private configuration, never the machine's
papt() { # COMMAND ARGS...
	APT_CONFIG=$apt/apt.conf "$@"
}

lists_fresh() { # the lists (binary and source) are younger than a day
	[[ -n $(find "$apt/lists" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -n 1) &&
		-n $(find "$apt/lists" -maxdepth 1 -name '*Sources*' -mmin -1440 2>/dev/null | head -n 1) ]]
}

apt_update() { # one at a time: two scripts may update at once
	local lock
	exec {lock}>"$apt/lock"
	flock "$lock"
	if ! lists_fresh; then
		echo "${0##*/}: updating atcbench's package lists" >&2
		papt apt-get update -q >"$apt/update.log" 2>&1 ||
			die "apt-get update failed (log: $apt/update.log)"
	fi
	exec {lock}>&-
}

# The guest's shell and tools, busybox-static:arm64, at $cache/busybox
busybox_fetch() {
	local work
	[[ ! -x $cache/busybox/busybox ]] || return 0
	apt_setup
	lists_fresh || apt_update
	work=$(mktemp -d "$cache/.busybox.XXXXXX")
	(cd "$work" && papt apt-get download -q busybox-static >download.log 2>&1) ||
		die "apt-get download busybox-static failed (log: $work/download.log)"
	dpkg-deb -x "$work"/busybox-static_*.deb "$work/x"
	mkdir -p "$cache/busybox"
	install -m 755 "$work/x/usr/bin/busybox" "$cache/busybox/busybox.tmp"
	mv "$cache/busybox/busybox.tmp" "$cache/busybox/busybox"
	rm -rf "$work"
}

