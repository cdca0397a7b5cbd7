# timeline.gp: a stress run over time, one panel per folder: the worst
# invalidation latency of each bin (about 1 ms) and the events (fault onset,
# ATC timeout, quarantine, reset) marked on a strip above it.
# gnuplot -e "tls='a-timeline.tsv b-timeline.tsv'; evs='a-events.tsv
#             b-events.tsv'; titles='base head'; out='x'; ttl='...'" timeline.gp
load dir.'/style.gp'
set datafile separator "\t"
set datafile commentschars "#"
kinds = "fault timeout quarantine reset failed-reset"
nf = words(tls)
set logscale y
set ylabel "worst invalidation in the bin (us)"
set y2range [0.5:5.5]
set y2tics ("fault" 1, "timeout" 2, "quarantine" 3, "reset" 4, "failed reset" 5)
set key top left
do for [fmt in "svg png"] {
	eval term(fmt, 1200, 380 * nf + 60)
	set output out.".".fmt
	set multiplot layout nf,1 title ttl
	do for [f=1:nf] {
		set title word(titles, f)
		set xlabel "time since the measurement began (ms)"
		plot word(tls, f) using 1:($2 > 0 ? $3 : 1/0) every ::1 \
			with impulses lw 1 lc rgb color(f) title "worst latency per bin", \
		     for [e=1:words(kinds)] word(evs, f) \
			using 1:(strcol(2) eq word(kinds, e) ? e : 1/0) every ::1 \
			axes x1y2 with points pt (e + 4) ps 1.2 lc rgb color(e + 2) \
			title word(kinds, e)
	}
	unset multiplot
}
