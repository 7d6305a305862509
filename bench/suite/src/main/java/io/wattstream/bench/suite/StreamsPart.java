package io.wattstream.bench.suite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The stream processor benchmark (bench/streams) in a short setting: the topology (exactly once,
 * from a fresh application id to lag 0) against a plain consumer reading the same topic, and against
 * a copy-only exactly-once topology on the same records (the framework's ceiling), in the same rounds.
 */
final class StreamsPart implements BenchSuite.Part {

    private static final String NUM = "([\\d,.]+)";
    private final Path rawDir;
    private final List<String> details = new ArrayList<>();

    StreamsPart(Path rawDir) {
        this.rawDir = rawDir;
    }

    @Override
    public List<Figure> run() throws Exception {
        int records = Integer.getInteger("bench.streams.records", 100_000);
        String text = ComponentParts.run("io.wattstream.bench.streams.StreamsBenchmark",
                List.of("-Dbench.rounds=" + Integer.getInteger("bench.streams.rounds", 3), "-Dbench.latency=false"),
                List.of(Integer.toString(records)), rawDir.resolve("streams.log"), Duration.ofMinutes(4));
        Output out = new Output(text);
        List<double[]> rounds = out.all("^round \\d+: plain consumer " + NUM + " records/s, topology \\(EOS\\) " + NUM
                + " records/s, copy-only \\(EOS\\) " + NUM + " records/s");
        if (rounds.isEmpty()) { // a single round, as the benchmark prints it on its own
            rounds = List.of(new double[] {out.number("^plain consumer\\s+:\\s+" + NUM + " records/s"),
                    out.number("^topology \\(EOS[^)]*\\)\\s*:\\s+" + NUM + " records/s"),
                    out.number("^copy-only \\(EOS\\)\\s*:\\s+" + NUM + " records/s")});
        }
        Rounds r = Rounds.of(rounds, 0, 1);
        Rounds ceiling = Rounds.of(rounds, 2, 1);
        details.add(records + " readings of 50 devices on 3 partitions; per round (records/s):");
        details.add("");
        details.add("```");
        out.lines("^(round \\d+:|plain consumer|topology|copy-only|ratio|ceiling ratio|latency)").forEach(details::add);
        details.add("```");
        String ctx = r.describe("plain consumer", "topology", "records/s") + "; topology timed from start to lag 0";
        String ceilingCtx = ceiling.describe("copy-only topology", "topology", "records/s")
                + "; both exactly once, timed from start to lag 0, same records and settings";
        return List.of(r.bFigure("streams_rps", "records/s", ctx),
                r.ratioFigure("streams_ratio", ctx).atLeast(0.4),
                ceiling.ratioFigure("streams_ceiling_ratio", ceilingCtx).atLeast(0.6));
    }

    @Override
    public List<String> details() {
        return details;
    }
}
