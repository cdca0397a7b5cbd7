# micro.gp: the micro benchmarks, one bar per folder (base, head), the
# median of each folder's runs relative to the first folder's median (rel=1)
# or, for one folder, its time per operation on a log scale (rel=0), with
# the runs' quartiles as error bars.
# gnuplot -e "tsv='micro.tsv'; titles='base head'; rel=1; out='x'; ttl='...'" micro.gp
# micro.tsv: name, then per folder: median, first and third quartiles (%
# of the first folder's median, or ns).
load dir.'/style.gp'
set datafile separator "\t"
set title ttl
# the key above the plot, never over a bar; none for one folder
set key outside top center horizontal
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1
if (rel) {
	set ylabel "time relative to the first folder's median (%)"
	set yrange [0:*]
} else {
	set ylabel "time per operation (ns, median of the runs)"
	set logscale y
	set yrange [*:*]
	unset key
}
set xtics rotate by -60 font ",8"
set bmargin 17
set rmargin 8
nf = words(titles)
do for [fmt in "svg png"] {
	eval term(fmt, 1600, 700)
	set output out.".".fmt
	plot for [f=1:nf] tsv using (column(3 * f - 1)):(column(3 * f)):(column(3 * f + 1)):xtic(1) \
		lc rgb color(f) title word(titles, f)
}
