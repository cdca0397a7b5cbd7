# scale.gp: atcbench scale's curve, from scale.tsv (columns: 1 cpus,
# 2 ops_per_cpu_s, 3 ops_per_s, 4 p50_ns, 5 p99_ns, 6 reserve_rmws_per_list,
# 7 line_wait_share, 8 published_mainline, 9 published_atomic_add (0: none),
# 10-17 the shares of the CPUs' measured time: space, lock, owner, valid,
# sync, op, lines, other; 18-22 the longest wait of each kind, ns: space,
# lock, owner, valid, sync).
# Top left: operations per CPU per second against CPUs, the model beside
# the published rows (Garry, 2020), and the model's total (right axis); top right: RMWs per command list on the
# word its space is taken on (the lock-free queue's cmpxchg attempts) and
# the latency percentiles; bottom left: where the time goes; bottom right:
# the longest wait of each kind (a point with no progress: the waits under
# way when it stopped).  Every model figure is modelled time.
# gnuplot -e "dir='plots'; tsv='scale.tsv'; out='x'; ttl='...'" scale.gp
load dir.'/style.gp'
set datafile separator "\t"
stats tsv using 1 nooutput
cpus_lo = STATS_min
cpus_hi = STATS_max
stats tsv using 2 nooutput
ops_hi = STATS_max
# A fixed range for a curve that may have no point (no progress anywhere)
lo2(x) = 2 ** floor(log(x) / log(2))
hi2(x) = 2 ** ceil(log(x) / log(2) + 0.01)
shares = "space lock owner valid sync op lines other"
waits = "space lock owner valid sync"
do for [fmt in "svg png"] {
	eval term(fmt, 1100, 900)
	set output out.".".fmt
	set multiplot layout 2,2 title ttl
	set logscale x 2
	set xrange [lo2(cpus_lo) * 0.8 : hi2(cpus_hi) * 1.25]
	set xtics (1, 2, 4, 8, 16, 32, 64, 96, 256)
	set xlabel "CPUs"
	set logscale y 10
	if (ops_hi > 0) { set yrange [*:*] } else { set yrange [1:1e7] }
	set key inside bottom left
	set ylabel "operations per CPU per second"
	set format y "%.0s%c"
	set y2tics
	set logscale y2 10
	set format y2 "%.0s%c"
	set y2label "in total (grey)"
	if (ops_hi > 0) { set y2range [*:*] } else { set y2range [1:1e7] }
	plot tsv using 1:($2 > 0 ? $2 : 1/0) with linespoints lw 2 pt 7 \
		lc rgb color(1) title "model (modelled time)", \
	     tsv using 1:($3 > 0 ? $3 : 1/0) axes x1y2 with linespoints lw 1 \
		pt 6 lc rgb "gray50" title "model, in total (right)", \
	     tsv using 1:($8 > 0 ? $8 : 1/0) with linespoints lw 2 pt 5 \
		dt 2 lc rgb color(2) title "published, mainline v5.9-rc1", \
	     tsv using 1:($9 > 0 ? $9 : 1/0) with linespoints lw 2 pt 4 \
		dt 3 lc rgb color(3) title "published, prod by atomic add"
	unset y2tics
	unset y2label
	unset logscale y2
	set key inside top left
	set ylabel "RMWs per list to take space; latency (us)"
	set format y "%g"
	if (ops_hi > 0) { set yrange [*:*] } else { set yrange [0.1:1e6] }
	plot tsv using 1:($6 > 0 ? $6 : 1/0) with linespoints lw 2 pt 7 \
		lc rgb color(4) title "RMWs per list to take space", \
	     tsv using 1:($4 > 0 ? $4 / 1000 : 1/0) with linespoints lw 2 \
		pt 5 lc rgb color(5) title "p50 latency (us)", \
	     tsv using 1:($5 > 0 ? $5 / 1000 : 1/0) with linespoints lw 2 \
		pt 4 dt 2 lc rgb color(5) title "p99 latency (us)"
	unset logscale x
	unset logscale y
	set xrange [*:*]
	set yrange [0:100]
	set xtics auto
	set ylabel "% of the CPUs' measured time"
	set key outside right top
	set style data histograms
	set style histogram rowstacked
	set style fill solid 0.85 border -1
	set boxwidth 0.7
	plot for [k = 1:8] tsv using (100 * column(9 + k)):xtic(1) \
		lc rgb color(k) title word(shares, k)
	set style data linespoints
	set logscale x 2
	set xrange [lo2(cpus_lo) * 0.8 : hi2(cpus_hi) * 1.25]
	set xtics (1, 2, 4, 8, 16, 32, 64, 96, 256)
	set logscale y 10
	set yrange [0.001:*]
	set format y "%g"
	set ylabel "longest wait (us); 0.001: none"
	set key outside right top
	plot for [k = 1:5] tsv using 1:(column(17 + k) > 0 ? \
		column(17 + k) / 1000. : 0.001) with linespoints lw 2 pt 7 \
		lc rgb color(k) title word(waits, k)
	unset multiplot
}
