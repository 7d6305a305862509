package io.wattstream.bench.suite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The gateway benchmark (bench/gateway) in a short setting: POST webhooks through the gateway
 * (parse, validate, publish with acks=all, wait for the ack) against a trivial Helidon route, same
 * JVM, same wrk load, alternating rounds. Fails loudly when the gateway's 2xx answers and the records
 * added to the raw topic disagree.
 */
final class IngestPart implements BenchSuite.Part {

    private static final String NUM = "([\\d,.]+)";
    private final Path rawDir;
    private final List<String> details = new ArrayList<>();

    IngestPart(Path rawDir) {
        this.rawDir = rawDir;
    }

    @Override
    public List<Figure> run() throws Exception {
        int rounds = Integer.getInteger("bench.ingest.rounds", 3);
        int seconds = Integer.getInteger("bench.ingest.seconds", 5);
        List<Figure> figures = new ArrayList<>();
        for (String method : List.of("POST", "GET")) {
            String text = ComponentParts.run("io.wattstream.bench.gateway.GatewayBench",
                    List.of("-Dbench.rounds=" + rounds, "-Dbench.seconds=" + seconds, "-Dbench.method=" + method,
                            "-Dbench.warmup-seconds=5"),
                    List.of(), rawDir.resolve("ingest-" + method.toLowerCase(Locale.ROOT) + ".log"), Duration.ofMinutes(3));
            Output out = new Output(text);
            if (method.equals("GET") && out.lines("GET").isEmpty()) {
                details.add("GET webhooks: not measured (the gateway benchmark has no GET mode).");
                break;
            }
            // round N trivial|gateway RPS req/s p50 X ms p99 Y ms ... (REQUESTS requests, ERRORS errors)
            String line = "^round (\\d+) %s\\s+" + NUM + " req/s\\s+p50\\s+" + NUM + " ms\\s+p99\\s+" + NUM + " ms";
            List<double[]> trivial = out.all(line.formatted("trivial"));
            List<double[]> gateway = out.all(line.formatted("gateway"));
            List<double[]> pairs = new ArrayList<>();
            for (int i = 0; i < Math.min(trivial.size(), gateway.size()); i++) {
                pairs.add(new double[] {trivial.get(i)[1], gateway.get(i)[1], trivial.get(i)[3], gateway.get(i)[3],
                        trivial.get(i)[2], gateway.get(i)[2]});
            }
            checkStored(out);
            Rounds r = Rounds.of(pairs, 0, 1);
            Rounds p99 = Rounds.of(pairs, 2, 3);
            Rounds p50 = Rounds.of(pairs, 4, 5);
            details.add(method + " webhooks, wrk for " + seconds + " s per round, alternating trivial route / gateway:");
            details.add("");
            details.add("```");
            out.lines("^(round \\d+ |ratio|gateway: |.*records added)").forEach(details::add);
            details.add("```");
            details.add(String.format(Locale.ROOT, "%s: gateway %s req/s (p50 %s ms, p99 %s ms) vs trivial route %s req/s "
                            + "(p50 %s ms, p99 %s ms); ratio %s (rounds %s – %s)", method, Figure.fmt(r.medianB()),
                    Figure.fmt(p50.medianB()), Figure.fmt(p99.medianB()), Figure.fmt(r.medianA()), Figure.fmt(p50.medianA()),
                    Figure.fmt(p99.medianA()), Figure.fmt(r.ratio()), Figure.fmt(Stats.min(r.ratios())),
                    Figure.fmt(Stats.max(r.ratios()))));
            details.add("");
            if (method.equals("POST")) {
                String ctx = r.describe("trivial route", "gateway POST (acks=all)", "req/s")
                        + String.format(Locale.ROOT, "; gateway p50 %s / p99 %s ms under saturation", Figure.fmt(p50.medianB()),
                        Figure.fmt(p99.medianB()));
                figures.add(r.bFigure("ingest_rps", "req/s", ctx));
                figures.add(r.ratioFigure("ingest_ratio", ctx).atLeast(0.6));
            }
        }
        return figures;
    }

    /**
     * Every 2xx is a record on the raw topic. wrk stops mid-request, so up to one request per
     * connection per round may be stored without wrk counting its answer, and so may a request wrk
     * gave up on (a timeout, counted as an error); fewer records than 2xx answers would be
     * acknowledged data that is not there, more than that would be duplicates.
     */
    private void checkStored(Output out) {
        String check = "gateway: " + NUM + " answered 2xx, " + NUM + " non-2xx/errors; " + NUM + " records added";
        List<double[]> checks = out.all("^round \\d+ " + check); // per round, if the benchmark checks each
        boolean perRound = !checks.isEmpty();
        if (!perRound) {
            checks = out.all("^" + check);
        }
        if (checks.isEmpty()) {
            throw new IllegalStateException("the gateway benchmark printed no 2xx/records check");
        }
        double connections = out.number("wrk -t\\d+ -c(\\d+)");
        int rounds = out.all("^round (\\d+) gateway").size();
        for (double[] c : checks) {
            if (c[2] < c[0]) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "the gateway answered 2xx %.0f times but only %.0f records reached the raw topic", c[0], c[2]));
            }
            // Cut off in flight when wrk stops (one per connection per round) or timed out at wrk (counted as errors):
            // stored, yet not counted as a 2xx.
            if (c[2] - c[0] > connections * (perRound ? 1 : rounds) + c[1]) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "%.0f records reached the raw topic for %.0f 2xx answers: more than the requests wrk cut off", c[2], c[0]));
            }
        }
    }

    @Override
    public List<String> details() {
        return details;
    }
}
