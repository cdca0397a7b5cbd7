# timeline.gp: a stress run over time, per folder: the worst invalidation
# latency of each bin (about 1 ms) in a panel, and under it, on a strip of
# its own and the same time axis, the events (fault onset, ATC timeout,
# quarantine, reset, failed reset, a stall, a hang; from the timeline, a
# bin with an oracle violation), one row per kind.
# gnuplot -e "tls='a-timeline.tsv b-timeline.tsv'; evs='a-events.tsv
#             b-events.tsv'; titles='base head'; out='x'; ttl='...'" timeline.gp
load dir.'/style.gp'
set datafile separator "\t"
set datafile commentschars "#"
kinds = "fault timeout quarantine reset failed-reset stall hang"
nf = words(tls)
band = 0.94 / nf # each folder's share of the height, under the title
# the same left and right margins in every panel: the time axes line up
set lmargin 14
set rmargin 4
unset key
do for [fmt in "svg png"] {
	eval term(fmt, 1200, 400 * nf + 40)
	set output out.".".fmt
	set multiplot title ttl
	do for [f=1:nf] {
		# stats filters by the current ranges: the last strip set y's
		set autoscale
		stats word(tls, f) using 1 every ::1 nooutput
		set xrange [0:STATS_max]
		base = 0.94 - f * band
		# the latency panel
		set origin 0, base + 0.4 * band
		set size 1, 0.6 * band
		set title (nf > 1 ? word(titles, f) : "")
		set logscale y
		set yrange [*:*]
		set ytics auto
		set ylabel "worst invalidation in the bin (us)"
		unset xlabel
		set format x ""
		set bmargin 0.5
		plot word(tls, f) using 1:($2 > 0 ? $3 : 1/0) every ::1 \
			with impulses lw 1 lc rgb color(f)
		# the events' strip
		set origin 0, base
		set size 1, 0.4 * band
		unset title
		unset logscale y
		set yrange [0.5:8.5]
		set ytics ("fault" 1, "timeout" 2, "quarantine" 3, "reset" 4, \
			"failed reset" 5, "stall" 6, "hang" 7, "VIOLATION" 8)
		unset ylabel
		set xlabel "time since the measurement began (ms)"
		set format x "%g"
		set bmargin 3
		plot for [e=1:words(kinds)] word(evs, f) \
			using 1:(strcol(2) eq word(kinds, e) ? e : 1/0) every ::1 \
			with points pt (e + 4) ps 1.2 lc rgb color(e + 2), \
		     word(tls, f) using 1:(column(4) > 0 ? 8 : 1/0) every ::1 \
			with points pt 7 ps 1.2 lc rgb "red"
		set tmargin
		set bmargin
	}
	unset multiplot
}
