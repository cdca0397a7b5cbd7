# review-batching.gp: atcbench review's first question, from
# review-batching.tsv (columns: 1 timeout_ns, 2 k, 3 strategy,
# 4 ok_batched_ns, 5 ok_per_device_ns, 6 iso_ns, 7 iso_syncs, 8 innocent,
# 9 break_even, 10 break_even_device; NaN: k = 1, or no search).
# A column per ATC timeout.  Above: what finding the one timed-out device
# among k costs with each strategy, beside what one sync for all saves per
# unmap when nothing fails; below: the break-even, batching pays unless
# more than 1 unmap in N meets a fault (higher: batching is safer).
# Modelled time.
# gnuplot -e "dir='plots'; tsv='review-batching.tsv'; timeouts='50000 ...';
#             tnames='50us ...'; strategies='linear ...'; out='x';
#             ttl='...'" review-batching.gp
load dir.'/style.gp'
set datafile separator "\t"
set datafile commentschars "#"
nt = words(timeouts)
ns = words(strategies)
# coinciding curves (adaptive often is linear) stay visible: each drawn
# wider than the ones drawn over it
lw_of(s) = 1 + 0.9 * (ns - s)
do for [fmt in "svg png"] {
	eval term(fmt, 360 * nt + 40, 760)
	set output out.".".fmt
	set multiplot title ttl
	# each format starts from the same state (the key strip unsets it)
	set border
	set grid
	set xtics (2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
	set ytics auto
	set xrange [1.6:*]
	set yrange [*:*]
	set logscale x 2
	set logscale y 10
	set xlabel "k: ATS devices under the unmap"
	unset key
	do for [t = 1:nt] {
		T = word(timeouts, t) + 0
		set origin (t - 1) * (1.0 / nt), 0.52
		set size 1.0 / nt, 0.42
		set title sprintf("ATC timeout %s", word(tnames, t))
		set ylabel "finding the device (us)"
		set format y "%g"
		plot for [s = 1:ns] tsv using 2:($1 == T && strcol(3) eq \
			word(strategies, s) && $6 > 0 ? $6 / 1000 : 1/0) \
			with linespoints lw lw_of(s) pt s lc rgb color(s), \
		     tsv using 2:($1 == T && strcol(3) eq word(strategies, 1) \
			&& $5 > $4 ? ($5 - $4) / 1000 : 1/0) with lines lw 1 \
			dt 2 lc rgb "black"
		set origin (t - 1) * (1.0 / nt), 0.10
		set size 1.0 / nt, 0.42
		set title ""
		set ylabel "batching pays below 1 unmap in N faulting"
		set format y "%.0s%c"
		plot for [s = 1:ns] tsv using 2:($1 == T && strcol(3) eq \
			word(strategies, s) && $9 > 0 && $9 < 1 ? 1 / $9 : 1/0) \
			with linespoints lw lw_of(s) pt s lc rgb color(s)
	}
	# one key for all, in a strip below
	set origin 0, 0
	set size 1, 0.08
	unset title
	unset xlabel
	unset ylabel
	unset logscale
	unset border
	unset tics
	unset grid
	set xrange [0:1]
	set yrange [0:1]
	set key center center horizontal
	plot for [s = 1:ns] NaN with linespoints lw lw_of(s) pt s \
		lc rgb color(s) \
		title word(strategies, s).(word(strategies, s) eq \
		"whole-batch" ? " (searches nothing: not drawn)" : ""), \
	     NaN with lines lw 1 dt 2 lc rgb "black" \
		title "saved per unmap by one sync (above)"
	unset multiplot
}
