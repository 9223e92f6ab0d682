# tools/bench_plots.gp - the plots of `make bench`, from the CSV files
# xce-bench writes. Usage: gnuplot -e "dir='build/bench'" tools/bench_plots.gp
if (!exists("dir")) dir = "build/bench"
set terminal pngcairo size 900,540 font ",11" noenhanced
set grid
set key top left

set output dir."/throughput.png"
set title "AES-128-CBC encrypt: throughput against request size"
set logscale x 2
set logscale y 10
set xlabel "request size (bytes)"
set ylabel "MB/s"
crossover = system("awk '/^# crossover/ {print $3}' ".dir."/throughput.csv")
if (crossover + 0 > 0) set arrow from crossover, graph 0 to crossover, graph 1 nohead dashtype 2; \
    set label "crossover ".crossover." B" at crossover, graph 0.95 offset 1,0
if (crossover + 0 == 0) set label "no crossover: the engine at its clock stays below software" at graph 0.3, graph 0.08
plot dir."/throughput.csv" using 1:2 with linespoints lw 2 title "engine (model cycles at the ID block's clock)", \
     ""                    using 1:3 with linespoints lw 2 title "libxce software path", \
     ""                    using 1:4 with linespoints lw 2 title "raw OpenSSL EVP"

set output dir."/cycles.png"
set title "Engine cycles per block (bars) against the targets (points)"
unset logscale
unset arrow
unset label
set style data histograms
set style fill solid 0.6
set boxwidth 0.8
set xtics rotate by -30
set xlabel ""
set ylabel "cycles per block"
set yrange [0:*]
plot dir."/cycles.csv" using 2:xtic(1) title "measured", "" using 0:3 with points pt 7 ps 1.5 title "target"
