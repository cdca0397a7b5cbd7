# throughput.gp: mapper throughput versus mapper threads, one line per
# folder, from TSV files (columns: mappers, median ops/s, lowest, highest,
# runs): the median of the repetitions with a bar from the lowest to the
# highest; oversubscription marked: more mappers than the PUs the run's
# other threads leave.  reps: the most repetitions of a point.
# gnuplot -e "tsvs='a.tsv b.tsv'; titles='base head'; pus=2; others=1;
#             reps=3; out='x'; ttl='...'" throughput.gp
load dir.'/style.gp'
set datafile separator "\t"
set title ttl
# the legend below the plot: it covers no point
set key outside bottom center horizontal
set xlabel "mapper threads"
set ylabel "invalidations per second (all mappers)"
set format y "%.0s%c"
set yrange [0:*]
set xtics 1
set offsets 0.3, 0.3, 0, 0
if (reps > 1) {
	set key title sprintf("median of up to %d runs; bars: lowest to highest", reps)
}
free = pus - others
set arrow 1 from free + 0.5, graph 0 to free + 0.5, graph 1 nohead dt 2 lc rgb "#888888"
set label 1 sprintf("oversubscribed beyond (%d other thread(s))", others) \
	at free + 0.45, graph 0.5 center rotate by 90 tc rgb "#888888"
do for [fmt in "svg png"] {
	eval term(fmt, 800, 480)
	set output out.".".fmt
	plot for [f=1:words(tsvs)] word(tsvs, f) using ($1 + (f - 1) * 0.06):2:3:4 \
		with yerrorlines lw 2 pt 7 lc rgb color(f) \
		title word(titles, f)
}
