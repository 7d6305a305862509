package io.wattstream.bench.suite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The sink benchmark (bench/sink) in a short setting: rows/s through Kafka Connect and the JDBC sink
 * into {@code measurement}, against COPY of the same rows and single-row INSERTs, same PostgreSQL.
 */
final class SinkPart implements BenchSuite.Part {

    private static final String NUM = "([\\d,.]+)";
    private final Path rawDir;
    private final List<String> details = new ArrayList<>();

    SinkPart(Path rawDir) {
        this.rawDir = rawDir;
    }

    @Override
    public List<Figure> run() throws Exception {
        int rows = Integer.getInteger("bench.sink.rows", 50_000);
        String text = ComponentParts.run("io.wattstream.bench.sink.SinkBench",
                List.of("-Dbench.rows=" + rows, "-Dbench.insertRows=" + Integer.getInteger("bench.sink.insertRows", 3_000),
                        "-Dbench.rounds=" + Integer.getInteger("bench.sink.rounds", 3)),
                List.of(), rawDir.resolve("sink.log"), Duration.ofMinutes(4));
        Output out = new Output(text);
        List<double[]> rounds = out.all("^round \\d+: JDBC sink " + NUM + " rows/s, COPY " + NUM + " rows/s, single-row INSERT "
                + NUM + " rows/s");
        if (rounds.isEmpty()) {
            rounds = List.of(new double[] {out.number("JDBC sink \\(upsert\\)\\s+" + NUM + " rows/s"),
                    out.number("COPY\\s+" + NUM + " rows/s"), out.number("single-row INSERT\\s+" + NUM + " rows/s")});
        }
        Rounds copy = Rounds.of(rounds, 1, 0);
        Rounds insert = Rounds.of(rounds, 2, 0);
        details.add(rows + " readings into `measurement`; per round (rows/s):");
        details.add("");
        details.add("```");
        out.lines("^(round \\d+:|\\s+JDBC sink|\\s+COPY|\\s+single-row|\\s+sink =)").forEach(details::add);
        details.add("```");
        return List.of(
                copy.bFigure("sink_rows_per_s", "rows/s", "JDBC sink (upsert), connector running, timed from the first record sent to the last row stored"),
                copy.ratioFigure("sink_copy_ratio", copy.describe("COPY", "sink", "rows/s")).atLeast(0.25),
                insert.ratioFigure("sink_insert_ratio", insert.describe("single-row INSERT", "sink", "rows/s")).atLeast(50));
    }

    @Override
    public List<String> details() {
        return details;
    }
}
