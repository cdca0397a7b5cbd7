# micro.gp: the micro benchmarks, one bar per folder (base, head), the
# median of each folder's runs relative to the first folder's median, with
# the runs' quartiles as error bars.
# gnuplot -e "tsv='micro.tsv'; titles='base head'; out='x'; ttl='...'" micro.gp
# micro.tsv: name, then per folder: median %, first and third quartiles %.
load dir.'/style.gp'
set datafile separator "\t"
set title ttl
set key top left
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1
set ylabel "time relative to the first folder's median (%)"
set yrange [0:*]
set xtics rotate by -60 font ",8"
set bmargin 14
nf = words(titles)
do for [fmt in "svg png"] {
	eval term(fmt, 1600, 700)
	set output out.".".fmt
	plot for [f=1:nf] tsv using (column(3 * f - 1)):(column(3 * f)):(column(3 * f + 1)):xtic(1) \
		lc rgb color(f) title word(titles, f)
}
