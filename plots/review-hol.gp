# review-hol.gp: atcbench review's second question, from review-hol.tsv
# (columns: 1 set, 2 cmdq, 3 cpus, 4 devs, 5 bystander, 6 slow_ns,
# 7 timeout, 8 mean_ns, 9 p99_ns, 10 hol_ns, 11 hol_p99_ns, 12 ops,
# 13 slow_ops, 14 failed).  Left: the bystanders' unmap latency (mean,
# solid; p99, dashed) by how late CPU 0's slow device answers, a curve per
# queue design; right: the delay over the healthy run by CPUs, at the
# slow device's 100 us.  Modelled time.
# gnuplot -e "dir='plots'; tsv='review-hol.tsv'; cpus=8; out='x';
#             ttl='...'" review-hol.gp
load dir.'/style.gp'
set datafile separator "\t"
set datafile commentschars "#"
cmdqs = "single per-cpu ats"
nq = words(cmdqs)
# The slow device as a position: healthy, 10us, 100us, 1ms, timeout
xpos(slow, to) = to != 0 ? 5 : slow == 0 ? 1 : log10(slow / 1000.0) + 1
lw_of(q) = 1 + 0.9 * (nq - q)
do for [fmt in "svg png"] {
	eval term(fmt, 1000, 520)
	set output out.".".fmt
	set multiplot layout 1, 2 title ttl
	set xrange [0.7:5.3]
	set xtics ("healthy" 1, "10us" 2, "100us" 3, "1ms" 4, "timeout" 5)
	set logscale y 10
	set format y "%g"
	set xlabel "CPU 0's slow device answers its ATC_INV after"
	set ylabel "bystanders' map+unmap (us)"
	set title sprintf("%d CPUs: mean (solid) and p99 (dashed)", cpus)
	set key top left
	plot for [q = 1:nq] tsv using (xpos($6, $7)):(strcol(1) eq \
		"latency" && strcol(2) eq word(cmdqs, q) ? $8 / 1000 : 1/0) \
		with linespoints lw lw_of(q) pt q lc rgb color(q) \
		title word(cmdqs, q), \
	     for [q = 1:nq] tsv using (xpos($6, $7)):(strcol(1) eq \
		"latency" && strcol(2) eq word(cmdqs, q) ? $9 / 1000 : 1/0) \
		with lines lw 1 dt 2 lc rgb color(q) notitle
	unset logscale y
	set xrange [1.6:20]
	set xtics (2, 4, 8, 16)
	set logscale x 2
	set xlabel "CPUs (CPU 0 and the bystanders)"
	set ylabel "delay over the healthy run, mean (us)"
	set title "the slow device at 100us"
	plot for [q = 1:2] tsv using 3:(strcol(1) eq "cpus" && \
		strcol(2) eq word(cmdqs, q) && $6 > 0 ? $10 / 1000 : 1/0) \
		with linespoints lw lw_of(q) pt q lc rgb color(q) \
		title word(cmdqs, q)
	unset logscale x
	unset multiplot
}
