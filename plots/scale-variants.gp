# scale-variants.gp: several atcbench scale folders overlaid (e.g. each
# command queue of bench.sh): operations per CPU per second against CPUs,
# each beside the others and the published rows (Garry, 2020, where a
# folder carries them), and each one's p99 latency.  Every model figure
# is modelled time.  Columns of scale.tsv: see scale.gp.
# gnuplot -e "dir='plots'; tsvs='a/scale.tsv b/scale.tsv'; names='a b';
#             out='x'; ttl='...'" scale-variants.gp
load dir.'/style.gp'
set datafile separator "\t"
n = words(tsvs)
first = word(tsvs, 1)
set logscale x 2
set xtics (1, 2, 4, 8, 16, 32, 64, 96, 256)
set xlabel "CPUs"
set logscale y 10
do for [fmt in "svg png"] {
	eval term(fmt, 1100, 480)
	set output out.".".fmt
	set multiplot layout 1,2 title ttl
	set key inside bottom left
	set ylabel "operations per CPU per second"
	set format y "%.0s%c"
	plot for [i = 1:n] word(tsvs, i) using 1:($2 > 0 ? $2 : 1/0) \
		with linespoints lw 2 pt 7 lc rgb color(i) \
		title word(names, i), \
	     first using 1:($8 > 0 ? $8 : 1/0) with linespoints lw 1 pt 5 \
		dt 2 lc rgb "black" title "published, mainline v5.9-rc1", \
	     first using 1:($9 > 0 ? $9 : 1/0) with linespoints lw 1 pt 4 \
		dt 3 lc rgb "gray40" title "published, prod by atomic add"
	set ylabel "p99 latency (us)"
	set format y "%g"
	set key inside top left
	plot for [i = 1:n] word(tsvs, i) using 1:($5 > 0 ? $5 / 1000 : 1/0) \
		with linespoints lw 2 pt 7 lc rgb color(i) \
		title word(names, i)
	unset multiplot
}
