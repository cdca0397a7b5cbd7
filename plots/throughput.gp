# throughput.gp: mapper throughput versus mapper threads, one line per
# folder, from TSV files (columns: mappers, ops/s), oversubscription marked:
# more mappers than the PUs the run's other threads leave.
# gnuplot -e "tsvs='a.tsv b.tsv'; titles='base head'; pus=2; others=1;
#             out='x'; ttl='...'" throughput.gp
load dir.'/style.gp'
set datafile separator "\t"
set title ttl
set key top right
set xlabel "mapper threads"
set ylabel "invalidations per second (all mappers)"
set format y "%.0s%c"
set yrange [0:*]
set xtics 1
free = pus - others
set arrow 1 from free + 0.5, graph 0 to free + 0.5, graph 1 nohead dt 2 lc rgb "#888888"
set label 1 sprintf("oversubscribed (%d other thread(s)) ->", others) \
	at free + 0.55, graph 0.95 tc rgb "#888888"
do for [fmt in "svg png"] {
	eval term(fmt, 800, 480)
	set output out.".".fmt
	plot for [f=1:words(tsvs)] word(tsvs, f) using 1:2 with linespoints \
		lw 2 pt 7 lc rgb color(f) title word(titles, f)
}
